import { Brackets, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';

export type TokenStatus = 'active' | 'revoked' | 'expired';

/**
 * Filters a token table by status. `expires_at` may be NULL (never expires): such a token is
 * active until revoked. A revoked token is `revoked` whatever its expiry says.
 */
export function whereTokenStatus<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  alias: string,
  status: TokenStatus,
  now: Date,
): SelectQueryBuilder<T> {
  if (status === 'revoked') return query.andWhere(`${alias}.revoked_at IS NOT NULL`);
  query.andWhere(`${alias}.revoked_at IS NULL`);
  if (status === 'expired') return query.andWhere(`${alias}.expires_at <= :now`, { now });
  return query.andWhere(
    new Brackets((b) =>
      b.where(`${alias}.expires_at IS NULL`).orWhere(`${alias}.expires_at > :now`, { now }),
    ),
  );
}
