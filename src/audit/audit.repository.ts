import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, MoreThan, type SelectQueryBuilder } from 'typeorm';
import { likePrefix } from '../common/database/like-pattern.js';
import {
  AuditChainHead,
  AuditEvent,
  type AuditOutcome,
  AuditPendingEvent,
} from './audit-event.entity.js';

/** What the admin API and the export filter on; every field optional, all combined. */
export interface AuditEventFilter {
  /** Exact, or a prefix when it ends with `.` (`client_token.`). */
  action?: string;
  actorUserId?: string;
  actorTokenId?: string;
  deviceId?: string;
  targetType?: string;
  targetId?: string;
  outcome?: AuditOutcome;
  ip?: string;
  since?: Date;
  until?: Date;
  /** Events where this user is the actor or the target (a user's security log). */
  involvingUserId?: string;
}

const INSERT_CHUNK = 500;

@Injectable()
export class AuditRepository {
  private readonly lockable: boolean;

  constructor(private readonly dataSource: DataSource) {
    this.lockable = dataSource.options.type !== 'better-sqlite3';
  }

  /** Locks the head row (MySQL) so sealers and retention queue instead of forking the chain. */
  async lockHead(manager: EntityManager): Promise<AuditChainHead> {
    const query = manager.createQueryBuilder(AuditChainHead, 'head').where('head.id = 1');
    const head = await (this.lockable ? query.setLock('pessimistic_write') : query).getOne();
    if (!head) throw new Error('audit_chain_head row is missing: run the migrations');
    return head;
  }

  /** Consecutive events, in multi-row inserts; the head moves to the last. */
  async appendMany(
    manager: EntityManager,
    events: AuditEvent[],
    head: AuditChainHead,
  ): Promise<void> {
    // Chunks keep a large group under SQLite's bound-variable limit.
    for (let i = 0; i < events.length; i += INSERT_CHUNK) {
      await manager.insert(AuditEvent, events.slice(i, i + INSERT_CHUNK));
    }
    await this.saveHead(manager, head);
  }

  /** Recorded events, committed with the caller's change; the sealer chains them later. */
  async insertPending(
    manager: EntityManager,
    rows: Array<Omit<AuditPendingEvent, 'id'>>,
  ): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await manager.insert(AuditPendingEvent, rows.slice(i, i + INSERT_CHUNK));
    }
  }

  /**
   * The oldest committed pending rows. Read without a lock after the head's: the head lock
   * already makes the sealer the only reader, and a locking read would also lock the gap
   * after the last row, holding up every writer's insert until the seal commits.
   */
  pendingBatch(manager: EntityManager, limit: number): Promise<AuditPendingEvent[]> {
    return manager.find(AuditPendingEvent, { order: { id: 'ASC' }, take: limit });
  }

  async deletePending(manager: EntityManager, ids: number[]): Promise<void> {
    for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
      await manager.delete(AuditPendingEvent, ids.slice(i, i + INSERT_CHUNK));
    }
  }

  countPending(): Promise<number> {
    return this.dataSource.getRepository(AuditPendingEvent).count();
  }

  async saveHead(manager: EntityManager, head: AuditChainHead): Promise<void> {
    await manager.update(
      AuditChainHead,
      { id: 1 },
      {
        firstId: head.firstId,
        firstPrevHash: head.firstPrevHash,
        lastId: head.lastId,
        lastHash: head.lastHash,
        signature: head.signature,
      },
    );
  }

  findBatchAfter(id: number, limit: number): Promise<AuditEvent[]> {
    return this.dataSource.getRepository(AuditEvent).find({
      where: { id: MoreThan(id) },
      order: { id: 'ASC' },
      take: limit,
    });
  }

  findHead(): Promise<AuditChainHead | null> {
    return this.dataSource.getRepository(AuditChainHead).findOneBy({ id: 1 });
  }

  findById(id: number): Promise<AuditEvent | null> {
    return this.dataSource.getRepository(AuditEvent).findOneBy({ id });
  }

  /**
   * Newest first, before the `beforeId` cursor; `limit + 1` rows to tell if there is more.
   * After a cursor the ids come from the filter's index alone (an index on one column holds
   * the id too), in a derived table the rows are then joined to by primary key: one round
   * trip. In one plain query MariaDB walks a filter's index from its newest entry and
   * fetches every row above the cursor to discard it: a page half-way down a million events
   * took a second instead of milliseconds (docs/PERFORMANCE.md).
   */
  async list(
    filter: AuditEventFilter,
    beforeId: number | undefined,
    limit: number,
  ): Promise<AuditEvent[]> {
    if (beforeId === undefined) {
      // The first page: the newest entries of the index, no rows to skip.
      return this.filtered(filter)
        .orderBy('e.id', 'DESC')
        .limit(limit + 1)
        .getMany();
    }
    const ids = this.filtered(filter)
      .select('e.id', 'id')
      .andWhere('e.id < :beforeId', { beforeId })
      .orderBy('e.id', 'DESC')
      .limit(limit + 1);
    return this.dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder('row')
      .innerJoin(`(${ids.getQuery()})`, 'page', 'page.id = row.id')
      .setParameters(ids.getParameters())
      .orderBy('row.id', 'DESC')
      .getMany();
  }

  /** The newest event older than `before`, or null. */
  async lastIdBefore(manager: EntityManager, before: Date): Promise<number | null> {
    const row = await manager
      .createQueryBuilder(AuditEvent, 'e')
      .select('MAX(e.id)', 'id')
      .where('e.created_at < :before', { before })
      .getRawOne<{ id: number | string | null }>();
    return row?.id === null || row?.id === undefined ? null : Number(row.id);
  }

  async hashOf(manager: EntityManager, id: number): Promise<string | null> {
    const row = await manager.findOne(AuditEvent, { where: { id }, select: { hash: true } });
    return row?.hash ?? null;
  }

  /** Deletes events `from`..`to` (inclusive); returns how many. */
  async deleteRange(manager: EntityManager, from: number, to: number): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .delete()
      .from(AuditEvent)
      .where('id >= :from AND id <= :to', { from, to })
      .execute();
    return result.affected ?? to - from + 1;
  }

  count(filter: AuditEventFilter): Promise<number> {
    return this.filtered(filter).getCount();
  }

  private filtered(filter: AuditEventFilter): SelectQueryBuilder<AuditEvent> {
    const query = this.dataSource.getRepository(AuditEvent).createQueryBuilder('e');
    if (filter.action?.endsWith('.')) {
      query.andWhere("e.action LIKE :action ESCAPE '!'", { action: likePrefix(filter.action) });
    } else if (filter.action) {
      query.andWhere('e.action = :action', { action: filter.action });
    }
    if (filter.actorUserId)
      query.andWhere('e.actor_user_id = :actor', { actor: filter.actorUserId });
    if (filter.actorTokenId) {
      query.andWhere('e.actor_token_id = :token', { token: filter.actorTokenId });
    }
    if (filter.deviceId) query.andWhere('e.actor_device_id = :device', { device: filter.deviceId });
    if (filter.targetType) query.andWhere('e.target_type = :ttype', { ttype: filter.targetType });
    if (filter.targetId) query.andWhere('e.target_id = :tid', { tid: filter.targetId });
    if (filter.outcome) query.andWhere('e.outcome = :outcome', { outcome: filter.outcome });
    if (filter.ip) query.andWhere('e.ip = :ip', { ip: filter.ip });
    if (filter.since) query.andWhere('e.created_at >= :since', { since: filter.since });
    if (filter.until) query.andWhere('e.created_at < :until', { until: filter.until });
    if (filter.involvingUserId) {
      query.andWhere("(e.actor_user_id = :me OR (e.target_type = 'user' AND e.target_id = :me))", {
        me: filter.involvingUserId,
      });
    }
    return query;
  }
}
