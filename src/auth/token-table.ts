import type { DataSource, EntityManager, EntityTarget, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { insertRows } from '../common/database/insert-rows.js';
import type { PrincipalUser } from './principal.js';

/** The columns every table of bearer tokens has, and its owner relation (`user`). */
export interface TokenRow {
  id: string;
  userId: string;
  tokenHash: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  createdAt: Date;
  user?: PrincipalUser & { disabledAt: Date | null };
}

/**
 * The queries every token table shares: the hot-path lookup by hash, revocation one at a
 * time and per user, the debounced activity write and the pepper-rotation rehash. A token
 * module's repository extends it with its own queries (listings, rotation, pairing).
 */
export abstract class TokenTable<T extends TokenRow> {
  protected constructor(
    protected readonly dataSource: DataSource,
    private readonly entity: EntityTarget<T>,
    /** Columns a revocation clears besides setting revoked_at (a live pairing code, say). */
    private readonly clearedOnRevoke: QueryDeepPartialEntity<T> = {},
  ) {}

  protected repo(manager?: EntityManager): Repository<T> {
    return (manager ?? this.dataSource.manager).getRepository(this.entity);
  }

  insert(manager: EntityManager, row: T): Promise<void> {
    return this.insertMany(manager, [row]);
  }

  /** Several rows in one multi-row insert (a group commit's batch). */
  async insertMany(manager: EntityManager, rows: T[]): Promise<void> {
    await insertRows(manager, this.entity, rows);
  }

  /** The hot path: the live token behind a hash, with its owner, if the owner is enabled. */
  findActiveByHash(hash: string, now: Date): Promise<T | null> {
    return this.repo()
      .createQueryBuilder('t')
      .innerJoinAndSelect('t.user', 'u')
      .where('t.token_hash = :hash', { hash })
      .andWhere('t.revoked_at IS NULL')
      .andWhere('(t.expires_at IS NULL OR t.expires_at > :now)', { now })
      .andWhere('u.disabled_at IS NULL')
      .getOne();
  }

  /** Tokens neither revoked nor expired (the admin dashboard). */
  countActive(now: Date): Promise<number> {
    return this.repo()
      .createQueryBuilder('t')
      .where('t.revoked_at IS NULL')
      .andWhere('(t.expires_at IS NULL OR t.expires_at > :now)', { now })
      .getCount();
  }

  /** Returns whether this call revoked it (false if it was already revoked or is unknown). */
  async revoke(manager: EntityManager, id: string, now: Date): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(this.entity)
      .set(this.revokedAt(now))
      .where('id = :id AND revoked_at IS NULL', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Revokes every live token of a user, optionally keeping one; returns the ids revoked. */
  revokeAllForUser(
    manager: EntityManager,
    userId: string,
    now: Date,
    keepId?: string,
  ): Promise<string[]> {
    return this.revokeWhere(manager, 'user_id', userId, now, keepId);
  }

  /** Revokes every unrevoked token whose `column` is `value`; returns the ids revoked. */
  protected async revokeWhere(
    manager: EntityManager,
    column: string,
    value: string,
    now: Date,
    keepId?: string,
  ): Promise<string[]> {
    const query = manager
      .getRepository(this.entity)
      .createQueryBuilder('t')
      .select('t.id', 'id')
      .where(`t.${column} = :value AND t.revoked_at IS NULL`, { value });
    if (keepId) query.andWhere('t.id <> :keepId', { keepId });
    const ids = (await query.getRawMany<{ id: string }>()).map((row) => row.id);
    if (ids.length > 0) {
      await manager
        .createQueryBuilder()
        .update(this.entity)
        .set(this.revokedAt(now))
        .where('id IN (:...ids) AND revoked_at IS NULL', { ids })
        .execute();
    }
    return ids;
  }

  /** The debounced activity write: a no-op if the row was touched after `threshold`. */
  async touch(id: string, ip: string, now: Date, threshold: Date): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(this.entity)
      .set(columns<T>({ lastUsedAt: now, lastUsedIp: ip.slice(0, 64) }))
      .where('id = :id AND (last_used_at IS NULL OR last_used_at < :threshold)', { id, threshold })
      .execute();
  }

  /**
   * After a TOKEN_PEPPER rotation, at the token's first use: the row moves to the current
   * pepper's hash. Conditional on the old hash, so two instances change it once.
   */
  async replaceHash(id: string, from: string, to: string): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(this.entity)
      .set(columns<T>({ tokenHash: to }))
      .where('id = :id AND token_hash = :from', { id, from })
      .execute();
  }

  private revokedAt(now: Date): QueryDeepPartialEntity<T> {
    return { ...this.clearedOnRevoke, ...columns<T>({ revokedAt: now }) };
  }
}

/** Shared columns, typed as a partial row of the table at hand. */
function columns<T extends TokenRow>(values: Partial<TokenRow>): QueryDeepPartialEntity<T> {
  return values as unknown as QueryDeepPartialEntity<T>;
}
