import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, MoreThan } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import { insertRows } from '../common/database/insert-rows.js';
import { likePrefix } from '../common/database/like-pattern.js';
import {
  AuditChainHead,
  AuditEvent,
  type AuditEventFields,
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

/** Ids per `DELETE … IN (…)`. */
const DELETE_CHUNK = 500;

/** An event's content as the driver returns it (`audit_events` and `audit_pending`). */
interface RawAuditContent {
  created_at: unknown;
  actor_user_id: string | null;
  actor_username: string | null;
  actor_token_kind: string | null;
  actor_token_id: string | null;
  actor_device_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  user_agent: string | null;
  details: string | null;
}

/** `audit_events` as the driver returns its rows. */
interface RawAuditEvent extends RawAuditContent {
  id: number | string;
  prev_hash: string;
  hash: string;
}

const CONTENT_COLUMNS = [
  'created_at',
  'actor_user_id',
  'actor_username',
  'actor_token_kind',
  'actor_token_id',
  'actor_device_id',
  'action',
  'target_type',
  'target_id',
  'outcome',
  'ip',
  'user_agent',
  'details',
].join(', ');

const COLUMNS = ['id', ...CONTENT_COLUMNS.split(', '), 'prev_hash', 'hash']
  .map((column) => `e.${column}`)
  .join(', ');

@Injectable()
export class AuditRepository {
  private readonly lockable: boolean;

  constructor(private readonly dataSource: DataSource) {
    this.lockable = dataSource.options.type !== 'better-sqlite3';
  }

  /** Locks the head row (MySQL) so sealers and retention queue instead of forking the chain. */
  async lockHead(manager: EntityManager): Promise<AuditChainHead> {
    const rows: Array<{
      last_id: number | string;
      last_hash: string;
      first_id: number | string;
      first_prev_hash: string;
      signature: string | null;
    }> = await manager.query(
      'SELECT last_id, last_hash, first_id, first_prev_hash, signature FROM audit_chain_head' +
        ` WHERE id = 1${this.lockable ? ' FOR UPDATE' : ''}`,
    );
    const row = rows[0];
    if (!row) throw new Error('audit_chain_head row is missing: run the migrations');
    return Object.assign(new AuditChainHead(), {
      id: 1,
      lastId: Number(row.last_id),
      lastHash: row.last_hash,
      firstId: Number(row.first_id),
      firstPrevHash: row.first_prev_hash,
      signature: row.signature,
    });
  }

  /** Consecutive events, in multi-row inserts; the head moves to the last. */
  async appendMany(
    manager: EntityManager,
    events: AuditEvent[],
    head: AuditChainHead,
  ): Promise<void> {
    await this.insertEvents(manager, events);
    await this.saveHead(manager, head);
  }

  async insertEvents(manager: EntityManager, events: AuditEvent[]): Promise<void> {
    await insertRows(manager, AuditEvent, events);
  }

  /**
   * Moves the head to `to` if it still is `from`, taking its row lock (held to the commit,
   * as `lockHead`'s). False, and nothing changed, when another writer moved it meanwhile.
   */
  async moveHead(
    manager: EntityManager,
    from: AuditChainHead,
    to: AuditChainHead,
  ): Promise<boolean> {
    const result = await manager.queryRunner!.query(
      'UPDATE audit_chain_head SET first_id = ?, first_prev_hash = ?, last_id = ?, last_hash = ?,' +
        ' signature = ? WHERE id = 1 AND first_id = ? AND first_prev_hash = ? AND last_id = ?' +
        ' AND last_hash = ?',
      [
        to.firstId,
        to.firstPrevHash,
        to.lastId,
        to.lastHash,
        to.signature,
        from.firstId,
        from.firstPrevHash,
        from.lastId,
        from.lastHash,
      ],
      true,
    );
    return result.affected === 1;
  }

  /** Recorded events, committed with the caller's change; the sealer chains them later. */
  async insertPending(
    manager: EntityManager,
    rows: Array<Omit<AuditPendingEvent, 'id'>>,
  ): Promise<void> {
    await insertRows(manager, AuditPendingEvent, rows);
  }

  /**
   * The oldest committed pending rows. Read without a lock after the head's: the head lock
   * already makes the sealer the only reader, and a locking read would also lock the gap
   * after the last row, holding up every writer's insert until the seal commits.
   */
  async pendingBatch(manager: EntityManager, limit: number): Promise<AuditPendingEvent[]> {
    const rows: Array<RawAuditContent & { id: number | string; mac: string }> = await manager.query(
      `SELECT id, ${CONTENT_COLUMNS}, mac FROM audit_pending ORDER BY id LIMIT ?`,
      [limit],
    );
    return rows.map((row) =>
      Object.assign(new AuditPendingEvent(), this.content(row), {
        id: Number(row.id),
        mac: row.mac,
      }),
    );
  }

  async deletePending(manager: EntityManager, ids: number[]): Promise<void> {
    for (let i = 0; i < ids.length; i += DELETE_CHUNK) {
      const chunk = ids.slice(i, i + DELETE_CHUNK);
      await manager.query(
        `DELETE FROM audit_pending WHERE id IN (${chunk.map(() => '?').join(', ')})`,
        chunk,
      );
    }
  }

  countPending(): Promise<number> {
    return this.dataSource.getRepository(AuditPendingEvent).count();
  }

  async saveHead(manager: EntityManager, head: AuditChainHead): Promise<void> {
    await manager.query(
      'UPDATE audit_chain_head SET first_id = ?, first_prev_hash = ?, last_id = ?, last_hash = ?,' +
        ' signature = ? WHERE id = 1',
      [head.firstId, head.firstPrevHash, head.lastId, head.lastHash, head.signature],
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
   *
   * Written as SQL, not with the query builder: the admin list is read in pages of up to
   * 500 under load, and building the statement and hydrating entities was a fifth of each
   * request's CPU time.
   */
  async list(
    filter: AuditEventFilter,
    beforeId: number | undefined,
    limit: number,
  ): Promise<AuditEvent[]> {
    const { sql: where, params } = this.where(filter);
    const rows: RawAuditEvent[] =
      beforeId === undefined || !where
        ? // The first page (the newest entries of the index, no rows to skip), or no filter
          // (the primary key itself is the index).
          await this.dataSource.query(
            `SELECT ${COLUMNS} FROM audit_events e${where}` +
              `${beforeId === undefined ? '' : ' WHERE e.id < ?'} ORDER BY e.id DESC LIMIT ?`,
            [...params, ...(beforeId === undefined ? [] : [beforeId]), limit + 1],
          )
        : await this.dataSource.query(
            `SELECT ${COLUMNS} FROM audit_events e JOIN (SELECT e.id FROM audit_events e` +
              `${where ? `${where} AND` : ' WHERE'} e.id < ? ORDER BY e.id DESC LIMIT ?) page` +
              ' ON page.id = e.id ORDER BY e.id DESC',
            [...params, beforeId, limit + 1],
          );
    return rows.map((row) => this.hydrate(row));
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

  async count(filter: AuditEventFilter): Promise<number> {
    const { sql: where, params } = this.where(filter);
    const [row]: Array<{ n: number | string }> = await this.dataSource.query(
      `SELECT COUNT(*) AS n FROM audit_events e${where}`,
      params,
    );
    return Number(row.n);
  }

  /** The filter as a `WHERE` clause with `?` placeholders (empty without conditions). */
  private where(filter: AuditEventFilter): { sql: string; params: unknown[] } {
    const clauses: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, ...values: unknown[]) => {
      clauses.push(clause);
      params.push(...values);
    };
    if (filter.action?.endsWith('.')) {
      add("e.action LIKE ? ESCAPE '!'", likePrefix(filter.action));
    } else if (filter.action) {
      add('e.action = ?', filter.action);
    }
    if (filter.actorUserId) add('e.actor_user_id = ?', filter.actorUserId);
    if (filter.actorTokenId) add('e.actor_token_id = ?', filter.actorTokenId);
    if (filter.deviceId) add('e.actor_device_id = ?', filter.deviceId);
    if (filter.targetType) add('e.target_type = ?', filter.targetType);
    if (filter.targetId) add('e.target_id = ?', filter.targetId);
    if (filter.outcome) add('e.outcome = ?', filter.outcome);
    if (filter.ip) add('e.ip = ?', filter.ip);
    if (filter.since) add('e.created_at >= ?', this.toDatabase(filter.since));
    if (filter.until) add('e.created_at < ?', this.toDatabase(filter.until));
    if (filter.involvingUserId) {
      add(
        "(e.actor_user_id = ? OR (e.target_type = 'user' AND e.target_id = ?))",
        filter.involvingUserId,
        filter.involvingUserId,
      );
    }
    return { sql: clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '', params };
  }

  /** `created_at` as the driver stores it (SQLite keeps UTC text, MySQL a DATETIME). */
  private toDatabase(date: Date): unknown {
    return this.dataSource.driver.preparePersistentValue(date, this.createdAt());
  }

  private hydrate(row: RawAuditEvent): AuditEvent {
    return Object.assign(new AuditEvent(), this.content(row), {
      id: Number(row.id),
      prevHash: row.prev_hash,
      hash: row.hash,
    });
  }

  private content(row: RawAuditContent): AuditEventFields {
    return {
      createdAt: this.dataSource.driver.prepareHydratedValue(
        row.created_at,
        this.createdAt(),
      ) as Date,
      actorUserId: row.actor_user_id,
      actorUsername: row.actor_username,
      actorTokenKind: row.actor_token_kind,
      actorTokenId: row.actor_token_id,
      actorDeviceId: row.actor_device_id,
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      outcome: row.outcome,
      ip: row.ip,
      userAgent: row.user_agent,
      details: row.details,
    };
  }

  private createdAtColumn?: ColumnMetadata;
  private createdAt(): ColumnMetadata {
    this.createdAtColumn ??= this.dataSource
      .getMetadata(AuditEvent)
      .findColumnWithPropertyName('createdAt')!;
    return this.createdAtColumn;
  }
}
