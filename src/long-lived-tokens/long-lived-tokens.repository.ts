import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type Keyset, newestFirstPage } from '../common/pagination.js';
import { LongLivedToken } from './long-lived-token.entity.js';
import { containsPattern } from '../common/database/like-pattern.js';
import { type TokenStatus, whereTokenStatus } from '../common/database/token-status.js';
import { TokenTable } from '../auth/token-table.js';

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

/** Long-lived tokens: the shared token-table queries, and the listings. */
@Injectable()
export class LongLivedTokensRepository extends TokenTable<LongLivedToken> {
  constructor(dataSource: DataSource) {
    super(dataSource, LongLivedToken);
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
}
