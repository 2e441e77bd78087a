import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import type { ClientTokenStatus } from '../client-tokens.repository.js';
import { IsPlainText } from '../../common/plain-text.decorator.js';
import { SearchText, trimString } from '../../common/search-text.decorator.js';

export class CreateClientTokenDto {
  /** What the token is for, 1-100 characters. */
  @ApiProperty({ example: 'Home Assistant' })
  @Transform(trimString)
  @IsString()
  @Length(1, 100, { message: 'name must be 1-100 characters' })
  @IsPlainText()
  name: string;

  /** Registered scopes you hold; see GET /.well-known/oauth-authorization-server. */
  @ApiProperty({ example: ['me.read', 'devices.read'] })
  @IsArray()
  @ArrayMinSize(1, { message: 'scopes must name at least one scope' })
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  scopes: string[];

  /** Lifetime in days. Give at most one of the three expiry fields; none means never. */
  @ApiProperty({ required: false, nullable: true, type: Number, example: 90 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36500)
  expires_in_days?: number | null;

  /** Lifetime in seconds (60 or more). */
  @ApiProperty({ required: false, nullable: true, type: Number, example: 3600 })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(36500 * 86400)
  ttl_seconds?: number | null;

  /** An absolute expiry in the future. */
  @ApiProperty({ required: false, nullable: true, type: String, format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expires_at must be an ISO 8601 date-time' })
  expires_at?: string | null;
}

export class UpdateClientTokenDto {
  /** 1-100 characters. */
  @Transform(trimString)
  @IsString()
  @Length(1, 100, { message: 'name must be 1-100 characters' })
  @IsPlainText()
  name: string;
}

export class ExchangePairCodeDto {
  /** The code shown by POST /api/client-tokens/{id}/pair; any case, dash optional. */
  @ApiProperty({ example: 'BCDF-GHJK' })
  @IsString()
  @MaxLength(32)
  code: string;
}

export class ClientTokenListQuery extends PageQuery {
  @IsOptional()
  @IsIn(['active', 'revoked', 'expired'], { message: 'status must be active, revoked or expired' })
  status?: ClientTokenStatus;

  /** Only tokens bound to this device. */
  @IsOptional()
  @IsUUID('all', { message: 'device_id must be a UUID' })
  device_id?: string;

  /** Matches the token's name or prefix. */
  @SearchText()
  q?: string;
}

export class AdminClientTokenListQuery extends ClientTokenListQuery {
  @IsOptional()
  @IsUUID('all', { message: 'user_id must be a UUID' })
  user_id?: string;
}
