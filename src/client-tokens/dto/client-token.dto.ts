import { ApiProperty } from '@nestjs/swagger';
import type { ClientToken } from '../client-token.entity.js';
import type { ClientTokenStatus } from '../client-tokens.repository.js';

/** The device a token is bound to, for the bound-device chip. */
export class BoundDeviceDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Living room TV' })
  name: string;
}

/** A client token as its owner sees it. The secret itself is never shown again. */
export class ClientTokenDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Home Assistant' })
  name: string;

  /** The first 8 characters after `pgc_`, to recognise the token; changes on rotation. */
  @ApiProperty({ example: 'X7fK2mQa' })
  prefix: string;

  @ApiProperty({ example: ['me.read', 'devices.read'] })
  scopes: string[];

  @ApiProperty({ enum: ['active', 'revoked', 'expired'] })
  status: ClientTokenStatus;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  /** Null: never expires. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expires_at: string | null;

  /** Updated at most once a minute. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  last_used_at: string | null;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  last_used_ip: string | null;

  /** When the secret was last replaced (rotation or pairing exchange). */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  rotated_at: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revoked_at: string | null;

  @ApiProperty({ type: BoundDeviceDto, nullable: true })
  device: BoundDeviceDto | null;

  static from(token: ClientToken, now: Date): ClientTokenDto {
    return {
      id: token.id,
      name: token.name,
      prefix: token.prefix,
      scopes: token.scopes,
      status: ClientTokenDto.statusOf(token, now),
      created_at: token.createdAt.toISOString(),
      expires_at: token.expiresAt?.toISOString() ?? null,
      last_used_at: token.lastUsedAt?.toISOString() ?? null,
      last_used_ip: token.lastUsedIp,
      rotated_at: token.rotatedAt?.toISOString() ?? null,
      revoked_at: token.revokedAt?.toISOString() ?? null,
      device: token.device ? { id: token.device.id, name: token.device.name } : null,
    };
  }

  static statusOf(
    token: Pick<ClientToken, 'revokedAt' | 'expiresAt'>,
    now: Date,
  ): ClientTokenStatus {
    if (token.revokedAt) return 'revoked';
    if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) return 'expired';
    return 'active';
  }
}

/** The token with its secret: returned once, by create, rotate and exchange. */
export class ClientTokenWithSecretDto extends ClientTokenDto {
  /** The secret. Store it now: it is never shown again. */
  @ApiProperty({ example: 'pgc_X7fK2mQa0123456789abcdefghijklmnAbC123' })
  access_token: string;

  static withSecret(token: ClientToken, now: Date, raw: string): ClientTokenWithSecretDto {
    return Object.assign(ClientTokenDto.from(token, now), { access_token: raw });
  }
}

export class ClientTokenPageDto {
  items: ClientTokenDto[];

  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  next_cursor: string | null;
}

/** A token as an admin sees it: with its owner. */
export class AdminClientTokenDto extends ClientTokenDto {
  @ApiProperty({ format: 'uuid' })
  user_id: string;

  @ApiProperty({ example: 'alice' })
  username: string;

  @ApiProperty({ type: String, nullable: true, example: 'alice@example.com' })
  email: string | null;

  static fromWithOwner(token: ClientToken, now: Date): AdminClientTokenDto {
    return Object.assign(ClientTokenDto.from(token, now), {
      user_id: token.userId,
      username: token.user?.username ?? '',
      email: token.user?.email ?? null,
    });
  }
}

export class AdminClientTokenPageDto {
  items: AdminClientTokenDto[];

  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  next_cursor: string | null;
}

/** A one-time pairing code for the token. */
export class PairCodeDto {
  /** Type it on the device within `expires_in` seconds; any case, dash optional. */
  @ApiProperty({ example: 'BCDF-GHJK' })
  code: string;

  @ApiProperty({ example: 60 })
  expires_in: number;
}

/** A scope a client token may carry, for the console's picker. */
export class ClientTokenScopeDto {
  @ApiProperty({ example: 'devices.read' })
  name: string;

  @ApiProperty({ example: 'List your paired devices' })
  description: string;

  /** Any token holding it lives at most this long, whatever expiry is asked for. */
  @ApiProperty({ type: Number, nullable: true, example: null })
  max_ttl_seconds: number | null;
}

/** What the console needs to offer a client token: the scopes you may grant and the longest life. */
export class ClientTokenOptionsDto {
  /** Registered scopes you may hold, by name. */
  scopes: ClientTokenScopeDto[];

  /** The longest lifetime in days (CLIENT_TOKEN_MAX_TTL_DAYS), also what "never" means; null: no cap. */
  @ApiProperty({ type: Number, nullable: true, example: 3650 })
  max_days: number | null;
}
