import type { IssuedToken } from '../auth/token-codec.js';
import { ClientToken } from './client-token.entity.js';
import { newRowId } from '../common/row-id.js';

export interface NewClientTokenFields {
  userId: string;
  deviceId: string | null;
  name: string;
  /** Already checked against the policy. */
  scopes: string[];
  /** Already clamped by the policy; null: never. */
  expiresAt: Date | null;
}

/** A client token row for a freshly issued secret (not saved: the caller inserts it). */
export function newClientToken(
  issued: IssuedToken,
  fields: NewClientTokenFields,
  now: Date,
): { token: ClientToken; raw: string } {
  const token = Object.assign(new ClientToken(), {
    id: newRowId(),
    userId: fields.userId,
    deviceId: fields.deviceId,
    name: fields.name.slice(0, 100),
    scopes: fields.scopes,
    prefix: issued.prefix,
    tokenHash: issued.hash,
    expiresAt: fields.expiresAt,
    lastUsedAt: null,
    lastUsedIp: null,
    // Whole seconds, as MySQL's DATETIME keeps them.
    createdAt: new Date(Math.floor(now.getTime() / 1000) * 1000),
    rotatedAt: null,
    revokedAt: null,
    pairCodeHash: null,
    pairCodeExpiresAt: null,
  });
  return { token, raw: issued.raw };
}
