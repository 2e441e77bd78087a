import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsIP,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQuery } from '../../common/pagination.js';
import type { LongLivedTokenStatus } from '../long-lived-tokens.repository.js';
import { IsPlainText } from '../../common/plain-text.decorator.js';
import { SearchText, trimString } from '../../common/search-text.decorator.js';

/** Spellings people use for "no expiry"; the service answers them with why that is refused. */
const NEVER = new Set<unknown>(['never', 'none', 0, -1, null]);
const EXPIRY_MESSAGE =
  'expires_in_days must be a whole number of days, at least 1: a long-lived token always expires';

export class CreateLongLivedTokenDto {
  /** Where the token will live, 1-100 characters: "Kitchen tablet", "Home Assistant camera card". */
  @ApiProperty({ example: 'Kitchen tablet' })
  @Transform(trimString)
  @IsString()
  @Length(1, 100, { message: 'name must be 1-100 characters' })
  @IsPlainText()
  name: string;

  /**
   * The token's one scope: a registered scope marked long-lived (listed by
   * GET /api/long-lived-tokens/options). Defaults to `camera.stream`.
   */
  @ApiProperty({ required: false, example: 'camera.stream' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  scope?: string;

  /**
   * Lifetime in days, from 1 to LONG_LIVED_TOKEN_MAX_DAYS (365 by default). Required: a
   * token that is pasted once and forgotten must stop working by itself.
   */
  @ApiProperty({ type: Number, minimum: 1, example: 365 })
  @Transform(({ value }: { value: unknown }) =>
    NEVER.has(typeof value === 'string' ? value.toLowerCase() : value) ? null : value,
  )
  @IsOptional()
  @IsInt({ message: EXPIRY_MESSAGE })
  @Min(1, { message: EXPIRY_MESSAGE })
  // null after the transform above when a client says "never"; the service refuses it.
  expires_in_days: number;
}

export class LongLivedTokenListQuery extends PageQuery {
  @IsOptional()
  @IsIn(['active', 'revoked', 'expired'], { message: 'status must be active, revoked or expired' })
  status?: LongLivedTokenStatus;

  /** Matches the token's name or prefix. */
  @SearchText()
  q?: string;
}

export class AdminLongLivedTokenListQuery extends LongLivedTokenListQuery {
  @IsOptional()
  @IsUUID('all', { message: 'user_id must be a UUID' })
  user_id?: string;

  /** The owner's username, exactly. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsString()
  @MaxLength(64)
  username?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  scope?: string;

  /** The address the token was last used from, exactly. */
  @IsOptional()
  @IsIP(undefined, { message: 'last_used_ip must be an IPv4 or IPv6 address' })
  last_used_ip?: string;
}
