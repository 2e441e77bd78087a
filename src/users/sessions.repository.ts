import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Session } from './session.entity.js';
import { User } from './user.entity.js';
import { replaceTokenHash } from '../common/database/token-hash.js';

export interface ActiveSession {
  session: Session;
  user: User;
}

@Injectable()
export class SessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, session: Session): Promise<void> {
    await manager.insert(Session, session);
  }

  /** The session behind a token hash, if it is live and its user is enabled. */
  async findActiveByHash(hash: string, now: Date): Promise<ActiveSession | null> {
    const session = await this.dataSource
      .getRepository(Session)
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.user', 'u')
      .where('s.token_hash = :hash', { hash })
      .andWhere('s.revoked_at IS NULL')
      .andWhere('s.expires_at > :now', { now })
      .andWhere('u.disabled_at IS NULL')
      .getOne();
    return session ? { session, user: session.user! } : null;
  }

  findById(id: string): Promise<Session | null> {
    return this.dataSource.getRepository(Session).findOneBy({ id });
  }

  /** Returns whether this call revoked it (false if it was already revoked). */
  async revoke(manager: EntityManager, id: string, now: Date): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: now })
      .where('id = :id AND revoked_at IS NULL', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Revokes every live session of a user, optionally keeping one; returns the ids revoked. */
  async revokeAllForUser(
    manager: EntityManager,
    userId: string,
    now: Date,
    keepId?: string,
  ): Promise<string[]> {
    const query = manager
      .getRepository(Session)
      .createQueryBuilder('s')
      .select('s.id', 'id')
      .where('s.user_id = :userId AND s.revoked_at IS NULL', { userId });
    if (keepId) query.andWhere('s.id <> :keepId', { keepId });
    const ids = (await query.getRawMany<{ id: string }>()).map((row) => row.id);
    if (ids.length > 0) {
      await manager
        .createQueryBuilder()
        .update(Session)
        .set({ revokedAt: now })
        .where('id IN (:...ids)', { ids })
        .execute();
    }
    return ids;
  }

  /** The debounced activity write: a no-op if the row was touched after `threshold`. */
  async touch(id: string, ip: string, now: Date, threshold: Date): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(Session)
      .set({ lastUsedAt: now, lastUsedIp: ip.slice(0, 64) })
      .where('id = :id AND (last_used_at IS NULL OR last_used_at < :threshold)', { id, threshold })
      .execute();
  }

  /** After a TOKEN_PEPPER rotation: the row moves to the current pepper's hash. */
  replaceHash(id: string, from: string, to: string): Promise<void> {
    return replaceTokenHash(this.dataSource, Session, id, from, to);
  }
}
