import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { containsPattern } from '../common/database/like-pattern.js';
import { type Keyset, newestFirstPage } from '../common/pagination.js';
import { OAuthClient } from './oauth-client.entity.js';

export interface OAuthClientFilter {
  /** Matches the client_id or the display name. */
  q?: string;
  after?: Keyset;
  limit: number;
}

@Injectable()
export class OAuthClientsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(OAuthClient);
  }

  findByClientId(clientId: string, manager?: EntityManager): Promise<OAuthClient | null> {
    return this.repo(manager).findOneBy({ clientId });
  }

  existsByClientId(manager: EntityManager, clientId: string): Promise<boolean> {
    return this.repo(manager).existsBy({ clientId });
  }

  /** Newest first, keyset-paginated; `limit + 1` rows so the caller sees a next page. */
  list(filter: OAuthClientFilter): Promise<OAuthClient[]> {
    const query = this.repo().createQueryBuilder('c');
    if (filter.q) {
      query.andWhere("(c.client_id LIKE :q ESCAPE '!' OR c.display_name LIKE :q ESCAPE '!')", {
        q: containsPattern(filter.q),
      });
    }
    return newestFirstPage(query, 'c', filter.limit, filter.after).getMany();
  }

  async insert(manager: EntityManager, client: OAuthClient): Promise<void> {
    await manager.insert(OAuthClient, client);
  }

  async update(manager: EntityManager, id: string, patch: Partial<OAuthClient>): Promise<void> {
    await manager.update(OAuthClient, { id }, patch);
  }

  /** Only if the secret is still the one that was checked (a rotation may have won). */
  async rehashSecret(
    manager: EntityManager,
    clientId: string,
    from: string,
    to: string,
  ): Promise<void> {
    await manager.update(OAuthClient, { clientId, secretHash: from }, { secretHash: to });
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(OAuthClient, { id });
  }
}
