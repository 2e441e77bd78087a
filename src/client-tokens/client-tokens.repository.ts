import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import type { IssuedToken } from '../auth/token-codec.js';
import { type Keyset, newestFirstPage } from '../common/pagination.js';
import { ClientToken, RetiredClientTokenSecret } from './client-token.entity.js';
import { containsPattern } from '../common/database/like-pattern.js';
import { type TokenStatus, whereTokenStatus } from '../common/database/token-status.js';
import { TokenTable } from '../auth/token-table.js';

export type ClientTokenStatus = TokenStatus;

export interface ClientTokenFilter {
  userId?: string;
  deviceId?: string;
  status?: ClientTokenStatus;
  q?: string;
  after?: Keyset;
  limit: number;
  now: Date;
}

/** Client tokens: the shared token-table queries, and rotation, pairing and listings. */
@Injectable()
export class ClientTokensRepository extends TokenTable<ClientToken> {
  constructor(dataSource: DataSource) {
    // A revoked token's pairing code dies with it.
    super(dataSource, ClientToken, { pairCodeHash: null, pairCodeExpiresAt: null });
  }

  findRetiredSecret(hash: string): Promise<RetiredClientTokenSecret | null> {
    return this.dataSource
      .getRepository(RetiredClientTokenSecret)
      .createQueryBuilder('r')
      .innerJoinAndSelect('r.token', 't')
      .where('r.token_hash = :hash', { hash })
      .getOne();
  }

  /** One token with its device (for the chip) and its user. */
  findById(id: string, manager?: EntityManager): Promise<ClientToken | null> {
    return this.repo(manager)
      .createQueryBuilder('t')
      .innerJoinAndSelect('t.user', 'u')
      .leftJoinAndSelect('t.device', 'd')
      .where('t.id = :id', { id })
      .getOne();
  }

  /** Newest first, keyset-paginated; fetches one extra row to tell if there is a next page. */
  list(filter: ClientTokenFilter): Promise<ClientToken[]> {
    const query = this.repo()
      .createQueryBuilder('t')
      .innerJoinAndSelect('t.user', 'u')
      .leftJoinAndSelect('t.device', 'd');
    if (filter.userId) query.andWhere('t.user_id = :userId', { userId: filter.userId });
    if (filter.deviceId) query.andWhere('t.device_id = :deviceId', { deviceId: filter.deviceId });
    if (filter.status) whereTokenStatus(query, 't', filter.status, filter.now);
    if (filter.q) {
      query.andWhere("(t.name LIKE :q ESCAPE '!' OR t.prefix LIKE :q ESCAPE '!')", {
        q: containsPattern(filter.q),
      });
    }
    return newestFirstPage(query, 't', filter.limit, filter.after).getMany();
  }

  /** Every token bound to these devices: enough to count live ones and find the latest use. */
  findForDevices(deviceIds: string[]): Promise<ClientToken[]> {
    if (deviceIds.length === 0) return Promise.resolve([]);
    return this.repo().find({
      select: { id: true, deviceId: true, revokedAt: true, expiresAt: true, lastUsedAt: true },
      where: { deviceId: In(deviceIds) },
    });
  }

  async rename(manager: EntityManager, id: string, name: string): Promise<void> {
    await this.repo(manager).update({ id }, { name });
  }

  revokeAllForDevice(manager: EntityManager, deviceId: string, now: Date): Promise<string[]> {
    return this.revokeWhere(manager, 'device_id', deviceId, now);
  }

  /**
   * Swaps the secret if it is still `expectedHash` and the token is unrevoked (a conditional
   * update: of two racing rotations one wins), and keeps the old hash to recognise its reuse.
   * `pairCodeHash` restricts the swap to a live pairing code, which it consumes.
   */
  async replaceSecret(
    manager: EntityManager,
    token: Pick<ClientToken, 'id' | 'tokenHash'>,
    issued: IssuedToken,
    now: Date,
    pairCodeHash?: string,
  ): Promise<boolean> {
    const query = manager
      .createQueryBuilder()
      .update(ClientToken)
      .set({
        tokenHash: issued.hash,
        prefix: issued.prefix,
        rotatedAt: now,
        pairCodeHash: null,
        pairCodeExpiresAt: null,
      })
      .where('id = :id AND token_hash = :expectedHash AND revoked_at IS NULL', {
        id: token.id,
        expectedHash: token.tokenHash,
      });
    if (pairCodeHash) {
      query.andWhere('pair_code_hash = :pairCodeHash AND pair_code_expires_at > :now', {
        pairCodeHash,
        now,
      });
    }
    const result = await query.execute();
    if ((result.affected ?? 0) === 0) return false;
    await manager.insert(RetiredClientTokenSecret, {
      tokenHash: token.tokenHash,
      tokenId: token.id,
      retiredAt: now,
    });
    return true;
  }

  async setPairCode(
    manager: EntityManager,
    id: string,
    hash: string,
    expiresAt: Date,
  ): Promise<void> {
    await this.repo(manager).update({ id }, { pairCodeHash: hash, pairCodeExpiresAt: expiresAt });
  }

  /** The live token a live pairing code points at, if its user is enabled. */
  findByLivePairCode(
    hash: string,
    now: Date,
    manager?: EntityManager,
  ): Promise<ClientToken | null> {
    return this.repo(manager)
      .createQueryBuilder('t')
      .innerJoinAndSelect('t.user', 'u')
      .leftJoinAndSelect('t.device', 'd')
      .where('t.pair_code_hash = :hash AND t.pair_code_expires_at > :now', { hash, now })
      .andWhere('t.revoked_at IS NULL')
      .andWhere('(t.expires_at IS NULL OR t.expires_at > :now)', { now })
      .andWhere('u.disabled_at IS NULL')
      .getOne();
  }
}
