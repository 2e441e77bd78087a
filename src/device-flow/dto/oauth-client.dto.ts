import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import type { OAuthClient } from '../oauth-client.entity.js';
import { IsPlainText } from '../../common/plain-text.decorator.js';

export const CLIENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
export const CLIENT_ID_MESSAGE =
  'client_id must be 1-64 letters, digits, dots, dashes, colons or underscores';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateOAuthClientDto {
  /** What devices send as `client_id`. Generated when omitted. */
  @IsOptional()
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE })
  client_id?: string;

  /** Shown, with a "verified" badge, to the person approving a device. */
  @Transform(trim)
  @IsString()
  @Length(1, 100, { message: 'display_name must be 1-100 characters' })
  @IsPlainText()
  display_name: string;

  /** The scopes this client's devices may ask for. */
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(64)
  @IsString({ each: true })
  allowed_scopes: string[];
}

export class UpdateOAuthClientDto {
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100, { message: 'display_name must be 1-100 characters' })
  @IsPlainText()
  display_name?: string;

  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(64)
  @IsString({ each: true })
  allowed_scopes?: string[];
}

export class ClientIdParam {
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: CLIENT_ID_MESSAGE })
  client_id: string;
}

/** A registered client. */
export class OAuthClientDto {
  @ApiProperty({ example: 'living-room-tv' })
  client_id: string;

  @ApiProperty({ example: 'Living-room TV app' })
  display_name: string;

  @ApiProperty({ example: ['me.read', 'devices.read'] })
  allowed_scopes: string[];

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  updated_at: string;

  static from(client: OAuthClient): OAuthClientDto {
    return {
      client_id: client.clientId,
      display_name: client.displayName,
      allowed_scopes: client.allowedScopes.split(' ').filter(Boolean),
      created_at: client.createdAt.toISOString(),
      updated_at: client.updatedAt.toISOString(),
    };
  }
}

export class OAuthClientPageDto {
  items: OAuthClientDto[];

  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  next_cursor: string | null;
}
