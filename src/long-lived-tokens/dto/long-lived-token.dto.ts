import { ApiProperty } from '@nestjs/swagger';
import type { LongLivedToken } from '../long-lived-token.entity.js';
import type { LongLivedTokenStatus } from '../long-lived-tokens.repository.js';

/** A long-lived token as its owner sees it. The secret itself is never shown again. */
export class LongLivedTokenDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Kitchen tablet' })
  name: string;

  /** The first 8 characters after `pgl_`, to recognise the token. */
  @ApiProperty({ example: 'X7fK2mQa' })
  prefix: string;

  /** Its one scope. */
  @ApiProperty({ example: 'camera.stream' })
  scope: string;

  @ApiProperty({ enum: ['active', 'revoked', 'expired'] })
  status: LongLivedTokenStatus;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  /** Always set: long-lived tokens always expire. */
  @ApiProperty({ format: 'date-time' })
  expires_at: string;

  /** Updated at most once a minute. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_used_at: string | null;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  last_used_ip: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revoked_at: string | null;

  static from(token: LongLivedToken, now: Date): LongLivedTokenDto {
    return {
      id: token.id,
      name: token.name,
      prefix: token.prefix,
      scope: token.scope,
      status: LongLivedTokenDto.statusOf(token, now),
      created_at: token.createdAt.toISOString(),
      expires_at: token.expiresAt.toISOString(),
      last_used_at: token.lastUsedAt?.toISOString() ?? null,
      last_used_ip: token.lastUsedIp,
      revoked_at: token.revokedAt?.toISOString() ?? null,
    };
  }

  static statusOf(
    token: Pick<LongLivedToken, 'revokedAt' | 'expiresAt'>,
    now: Date,
  ): LongLivedTokenStatus {
    if (token.revokedAt) return 'revoked';
    if (token.expiresAt.getTime() <= now.getTime()) return 'expired';
    return 'active';
  }
}

/** The token with its secret: returned once, by create. */
export class LongLivedTokenWithSecretDto extends LongLivedTokenDto {
  /** The secret. Store it now: it is never shown again. */
  @ApiProperty({ example: 'pgl_X7fK2mQa0123456789abcdefghijklmnAbC123' })
  access_token: string;
}

export class LongLivedTokenPageDto {
  items: LongLivedTokenDto[];

  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  next_cursor: string | null;
}

/** A long-lived token as an admin sees it: with its owner. */
export class AdminLongLivedTokenDto extends LongLivedTokenDto {
  @ApiProperty({ format: 'uuid' })
  user_id: string;

  @ApiProperty({ example: 'alice' })
  username: string;

  @ApiProperty({ type: String, nullable: true, example: 'alice@example.com' })
  email: string | null;

  static fromWithOwner(token: LongLivedToken, now: Date): AdminLongLivedTokenDto {
    return Object.assign(LongLivedTokenDto.from(token, now), {
      user_id: token.userId,
      username: token.user?.username ?? '',
      email: token.user?.email ?? null,
    });
  }
}

export class AdminLongLivedTokenPageDto {
  items: AdminLongLivedTokenDto[];

  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  next_cursor: string | null;
}

/** A scope a long-lived token may carry, for the console's picker. */
export class LongLivedScopeDto {
  @ApiProperty({ example: 'camera.stream' })
  name: string;

  @ApiProperty({ example: 'View camera streams' })
  description: string;
}

/** What the console needs to offer a long-lived token: its scopes and lifetime bounds. */
export class LongLivedTokenOptionsDto {
  /** Registered scopes marked long-lived that you may hold. */
  scopes: LongLivedScopeDto[];

  /** The scope used when `scope` is omitted, if it is registered. */
  @ApiProperty({ type: String, nullable: true, example: 'camera.stream' })
  default_scope: string | null;

  /** The longest lifetime, in days (LONG_LIVED_TOKEN_MAX_DAYS). */
  @ApiProperty({ example: 365 })
  max_days: number;
}
