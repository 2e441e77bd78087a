import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Keyset } from '../common/pagination.js';
import { OAuthClient } from './oauth-client.entity.js';

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

  /** Newest first, after the keyset cursor; `limit + 1` rows so the caller sees a next page. */
  list(after: Keyset | undefined, limit: number): Promise<OAuthClient[]> {
    const query = this.repo()
      .createQueryBuilder('c')
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit + 1);
    if (after) {
      query.where('(c.created_at < :createdAt OR (c.created_at = :createdAt AND c.id < :id))', {
        createdAt: after.createdAt,
        id: after.id,
      });
    }
    return query.getMany();
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
