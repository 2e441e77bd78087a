import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type Keyset, newestFirstPage } from '../common/pagination.js';
import type { User } from '../users/user.entity.js';
import { LongLivedToken } from './long-lived-token.entity.js';
import { containsPattern } from '../common/database/like-pattern.js';
import { type TokenStatus, whereTokenStatus } from '../common/database/token-status.js';
import { replaceTokenHash } from '../common/database/token-hash.js';

export type LongLivedTokenStatus = TokenStatus;

export interface LongLivedTokenFilter {
  userId?: string;
  username?: string;
  scope?: string;
  lastUsedIp?: string;
  status?: LongLivedTokenStatus;
  q?: string;
  after?: Keyset;
  limit: number;
  now: Date;
}

export interface ActiveLongLivedToken {
  token: LongLivedToken;
  user: User;
}

@Injectable()
export class LongLivedTokensRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(LongLivedToken);
  }

  async insert(manager: EntityManager, token: LongLivedToken): Promise<void> {
    await manager.insert(LongLivedToken, token);
  }

  /** The hot path: the live token behind a hash, with its user, if the user is enabled. */
  async findActiveByHash(hash: string, now: Date): Promise<ActiveLongLivedToken | null> {
    const token = await this.repo()
      .createQueryBuilder('t')
      .innerJoinAndSelect('t.user', 'u')
      .where('t.token_hash = :hash', { hash })
      .andWhere('t.revoked_at IS NULL')
      .andWhere('t.expires_at > :now', { now })
      .andWhere('u.disabled_at IS NULL')
      .getOne();
    return token ? { token, user: token.user! } : null;
  }

  /** One token with its owner. */
  findById(id: string, manager?: EntityManager): Promise<LongLivedToken | null> {
    return this.repo(manager)
      .createQueryBuilder('t')
      .innerJoinAndSelect('t.user', 'u')
      .where('t.id = :id', { id })
      .getOne();
  }

  /** Newest first, keyset-paginated; fetches one extra row to tell if there is a next page. */
  list(filter: LongLivedTokenFilter): Promise<LongLivedToken[]> {
    const query = this.repo().createQueryBuilder('t').innerJoinAndSelect('t.user', 'u');
    if (filter.userId) query.andWhere('t.user_id = :userId', { userId: filter.userId });
    if (filter.username) query.andWhere('u.username = :username', { username: filter.username });
    if (filter.scope) query.andWhere('t.scope = :scope', { scope: filter.scope });
    if (filter.lastUsedIp) query.andWhere('t.last_used_ip = :ip', { ip: filter.lastUsedIp });
    if (filter.status) whereTokenStatus(query, 't', filter.status, filter.now);
    if (filter.q) {
      query.andWhere("(t.name LIKE :q ESCAPE '!' OR t.prefix LIKE :q ESCAPE '!')", {
        q: containsPattern(filter.q),
      });
    }
    return newestFirstPage(query, 't', filter.limit, filter.after).getMany();
  }

  /** Returns whether this call revoked it (false if it was already revoked). */
  async revoke(manager: EntityManager, id: string, now: Date): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(LongLivedToken)
      .set({ revokedAt: now })
      .where('id = :id AND revoked_at IS NULL', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Revokes every unrevoked token of a user; returns the ids revoked. */
  async revokeAllForUser(manager: EntityManager, userId: string, now: Date): Promise<string[]> {
    const rows = await manager
      .getRepository(LongLivedToken)
      .createQueryBuilder('t')
      .select('t.id', 'id')
      .where('t.user_id = :userId AND t.revoked_at IS NULL', { userId })
      .getRawMany<{ id: string }>();
    const ids = rows.map((row) => row.id);
    if (ids.length > 0) {
      await manager
        .createQueryBuilder()
        .update(LongLivedToken)
        .set({ revokedAt: now })
        .where('id IN (:...ids) AND revoked_at IS NULL', { ids })
        .execute();
    }
    return ids;
  }

  /** The debounced activity write: a no-op if the row was touched after `threshold`. */
  async touch(id: string, ip: string, now: Date, threshold: Date): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(LongLivedToken)
      .set({ lastUsedAt: now, lastUsedIp: ip.slice(0, 64) })
      .where('id = :id AND (last_used_at IS NULL OR last_used_at < :threshold)', { id, threshold })
      .execute();
  }

  /** After a TOKEN_PEPPER rotation: the row moves to the current pepper's hash. */
  replaceHash(id: string, from: string, to: string): Promise<void> {
    return replaceTokenHash(this.dataSource, LongLivedToken, id, from, to);
  }
}
