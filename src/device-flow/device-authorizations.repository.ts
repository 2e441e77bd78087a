import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In, LessThan } from 'typeorm';
import { insertRows } from '../common/database/insert-rows.js';
import { DeviceAuthorization } from './device-authorization.entity.js';

/** The columns a token poll needs, read in one indexed lookup. */
export interface PollRow {
  id: string;
  status: DeviceAuthorization['status'];
  clientId: string | null;
  intervalSeconds: number;
  expiresAt: Date;
}

export interface ApprovalFields {
  userId: string;
  grantedScopes: string[];
  tokenName: string | null;
  tokenExpiresAt: Date | null;
}

/** mysql2 (timezone Z) returns Dates; better-sqlite3 returns TypeORM's UTC text form. */
function toDate(value: Date | string): Date {
  if (value instanceof Date) return value;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}

@Injectable()
export class DeviceAuthorizationsRepository {
  private readonly pollSql: string;

  constructor(private readonly dataSource: DataSource) {
    // A plain statement on the hot path: no entity metadata, no query builder, one index.
    this.pollSql =
      'SELECT id, status, client_id, interval_seconds, expires_at FROM device_authorizations WHERE device_code_hash = ?';
  }

  private repo(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(DeviceAuthorization);
  }
  /** The request whose collection minted this token, if the device flow minted it. */
  findByIssuedToken(tokenId: string): Promise<DeviceAuthorization | null> {
    return this.repo().findOneBy({ issuedTokenId: tokenId });
  }

  /** One multi-row INSERT. */
  async insertMany(manager: EntityManager, rows: DeviceAuthorization[]): Promise<void> {
    await insertRows(manager, DeviceAuthorization, rows);
  }

  async findPollRow(codeHash: string): Promise<PollRow | null> {
    const rows = (await this.dataSource.query(this.pollSql, [codeHash])) as Array<{
      id: string;
      status: DeviceAuthorization['status'];
      client_id: string | null;
      interval_seconds: number | string;
      expires_at: Date | string;
    }>;
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      status: row.status,
      clientId: row.client_id,
      intervalSeconds: Number(row.interval_seconds),
      expiresAt: toDate(row.expires_at),
    };
  }

  /** Requests waiting for a person's answer and not expired (the admin dashboard). */
  countPending(now: Date): Promise<number> {
    return this.repo()
      .createQueryBuilder('a')
      .where("a.status = 'pending'")
      .andWhere('a.expires_at > :now', { now })
      .getCount();
  }

  findById(id: string, manager?: EntityManager): Promise<DeviceAuthorization | null> {
    return this.repo(manager).findOneBy({ id });
  }

  findByUserCode(userCode: string): Promise<DeviceAuthorization | null> {
    return this.repo().findOneBy({ userCode });
  }

  /** pending -> approved, only if still pending and live. Returns whether this call did it. */
  async approve(
    manager: EntityManager,
    id: string,
    now: Date,
    fields: ApprovalFields,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(DeviceAuthorization)
      .set({
        status: 'approved',
        userId: fields.userId,
        grantedScopes: fields.grantedScopes.join(' '),
        tokenName: fields.tokenName,
        tokenExpiresAt: fields.tokenExpiresAt,
        decidedAt: now,
      })
      .where("id = :id AND status = 'pending' AND expires_at > :now", { id, now })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /** pending -> denied, only if still pending and live. */
  async deny(manager: EntityManager, id: string, userId: string, now: Date): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(DeviceAuthorization)
      .set({ status: 'denied', userId, decidedAt: now })
      .where("id = :id AND status = 'pending' AND expires_at > :now", { id, now })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /**
   * approved -> consumed: the one statement that decides which poll gets the token. Two
   * concurrent collections both run it; the database lets exactly one match.
   */
  async consume(manager: EntityManager, id: string, now: Date): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(DeviceAuthorization)
      .set({ status: 'consumed', consumedAt: now })
      .where("id = :id AND status = 'approved' AND expires_at > :now", { id, now })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  async recordIssued(
    manager: EntityManager,
    id: string,
    issued: { tokenId: string; deviceId: string },
  ): Promise<void> {
    await manager.update(
      DeviceAuthorization,
      { id },
      { issuedTokenId: issued.tokenId, deviceId: issued.deviceId },
    );
  }

  /**
   * -> denied, when the client's registration no longer allows what was approved (inside the
   * collecting transaction, after `consume`, before any token): the device's next poll hears
   * access_denied instead of asking again.
   */
  async withdrawApproval(manager: EntityManager, id: string, now: Date): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(DeviceAuthorization)
      .set({ status: 'denied', decidedAt: now, consumedAt: null })
      .where("id = :id AND status IN ('approved', 'consumed') AND issued_token_id IS NULL", {
        id,
      })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /**
   * Counts a replay of a consumed code and says whether the audit log should hear of it now:
   * the first replay, or the first after `windowMs` since it last did. The UPDATE takes the
   * row's lock, so of concurrent replays exactly one is told to audit.
   */
  async countReplay(
    manager: EntityManager,
    id: string,
    now: Date,
    windowMs: number,
  ): Promise<{ row: DeviceAuthorization; audit: boolean; unaudited: number } | null> {
    await manager
      .createQueryBuilder()
      .update(DeviceAuthorization)
      .set({ replayCount: () => 'replay_count + 1' })
      .where('id = :id', { id })
      .execute();
    const row = await manager.findOneBy(DeviceAuthorization, { id });
    if (!row) return null;
    const due =
      row.replayAuditedAt === null || now.getTime() - row.replayAuditedAt.getTime() >= windowMs;
    const unaudited = row.replayCount - row.replaysAudited;
    if (!due) return { row, audit: false, unaudited };
    await manager.update(
      DeviceAuthorization,
      { id },
      { replaysAudited: row.replayCount, replayAuditedAt: now },
    );
    return { row, audit: true, unaudited };
  }

  /** Deletes up to `limit` rows that expired before `before`; returns how many. */
  async purgeExpiredBefore(before: Date, limit: number): Promise<number> {
    const rows = await this.repo().find({
      select: { id: true },
      where: { expiresAt: LessThan(before) },
      take: limit,
    });
    if (rows.length === 0) return 0;
    await this.repo().delete({ id: In(rows.map((r) => r.id)) });
    return rows.length;
  }
}
