import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { TokenTable } from '../auth/token-table.js';
import { containsPattern } from '../common/database/like-pattern.js';
import { type Keyset, newestFirstPage } from '../common/pagination.js';
import { Session } from './session.entity.js';

export interface LiveSessionFilter {
  userId?: string;
  /** Matches the user agent or the last address. */
  q?: string;
  after?: Keyset;
  limit: number;
  now: Date;
}

/** Login sessions: the shared token-table queries, and the live ones for a listing. */
@Injectable()
export class SessionsRepository extends TokenTable<Session> {
  constructor(dataSource: DataSource) {
    super(dataSource, Session);
  }

  /** Neither revoked nor expired, newest first, with the owner. */
  listLive(filter: LiveSessionFilter): Promise<Session[]> {
    const query = this.repo()
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.user', 'u')
      .where('s.revoked_at IS NULL')
      .andWhere('s.expires_at > :now', { now: filter.now });
    if (filter.userId) query.andWhere('s.user_id = :userId', { userId: filter.userId });
    if (filter.q) {
      query.andWhere("(s.user_agent LIKE :q ESCAPE '!' OR s.last_used_ip LIKE :q ESCAPE '!')", {
        q: containsPattern(filter.q),
      });
    }
    return newestFirstPage(query, 's', filter.limit, filter.after).getMany();
  }

  findById(id: string, manager?: EntityManager): Promise<Session | null> {
    return this.repo(manager).findOneBy({ id });
  }
}
