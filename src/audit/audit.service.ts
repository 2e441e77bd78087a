import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { GroupCommit } from '../common/database/group-commit.js';
import { Transactions } from '../common/database/transactions.js';
import { Metrics } from '../common/metrics/metrics.js';
import type { RequestMeta } from '../common/request-meta.js';
import { appConfig, type AppConfig } from '../config/app.config.js';
import {
  type ChainEnds,
  type ChainVerification,
  headSignature,
  keptCount,
  verifyChainSegment,
} from './audit-chain.js';
import {
  type AuditChainHead,
  type AuditEvent,
  type AuditEventFields,
  type AuditOutcome,
} from './audit-event.entity.js';
import { AuditSealer } from './audit-sealer.js';
import { type AuditEventFilter, AuditRepository } from './audit.repository.js';

/** The signed head, as verify answers and the periodic log line print it. */
export interface SignedHead extends ChainEnds {
  count: number;
  signature: string | null;
}

export interface AuditVerification extends ChainVerification {
  head: SignedHead;
}

/** A named user, for actions without a token (login, setup, what a device's poll triggers). */
export interface AuditActor {
  userId: string;
  username?: string | null;
}

/**
 * An authenticated caller, as the bearer guard's principal describes it (structurally: the
 * audit log does not depend on the auth layer).
 */
export interface AuditPrincipal {
  user: { id: string; username: string };
  kind: string;
  tokenId: string;
  deviceId: string | null;
}

export interface AuditEventInput {
  /** `<area>.<verb>`: `auth.login`, `client_token.create`, `device_flow.approve`. */
  action: string;
  outcome?: AuditOutcome;
  /** The authenticated caller, or a named user for unauthenticated actions (login). */
  actor?: AuditPrincipal | AuditActor | null;
  target?: { type: string; id: string } | null;
  meta?: RequestMeta | null;
  /** Context that helps an investigator. Never a secret: no raw token, code or password. */
  details?: Record<string, unknown>;
}

/** A row a group commit inserts, with the event that records it (`AuditService.groupCommit`). */
export interface AuditedRow<T> {
  row: T;
  audit: AuditEventInput;
}

function isPrincipal(actor: AuditPrincipal | AuditActor): actor is AuditPrincipal {
  return 'tokenId' in actor;
}

@Injectable()
export class AuditService implements OnModuleInit {
  private readonly logger = new Logger('Audit');
  private readonly key: string;
  /** `action|source` -> when the current window of `recordRefusal` ends. */
  private readonly refusals = new Map<string, { untilMs: number; count: number }>();

  constructor(
    private readonly events: AuditRepository,
    private readonly sealer: AuditSealer,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    @Inject(appConfig.KEY) config: AppConfig,
  ) {
    this.key = config.secrets.auditKey;
  }

  /**
   * The head is signed from the first start on. An unsigned head is a fresh install or the
   * upgrade that added signatures: it is signed as it stands (and said so in the log).
   */
  async onModuleInit(): Promise<void> {
    await this.transactions.run(async (manager) => {
      const head = await this.events.lockHead(manager);
      if (head.signature !== null) return;
      head.signature = headSignature(this.key, head);
      await this.events.saveHead(manager, head);
      if (head.lastId > 0) {
        this.logger.warn(`audit chain head signed for the first time at event ${head.lastId}`);
      }
    });
  }

  /**
   * Records an event inside the caller's transaction, so the change and its record commit
   * together or not at all. It enters the hash chain right after the commit, before the
   * caller's `Transactions.run` returns (see `AuditSealer`).
   */
  async record(manager: EntityManager, input: AuditEventInput): Promise<void> {
    await this.recordMany(manager, [input]);
  }

  /**
   * Records several events, in order, inside the caller's transaction: one multi-row insert
   * into `audit_pending`, chained right after the commit (see `AuditSealer`).
   */
  async recordMany(manager: EntityManager, inputs: AuditEventInput[]): Promise<void> {
    if (inputs.length === 0) return;
    const now = this.now();
    await this.events.insertPending(
      manager,
      inputs.map((input) => this.sealer.pending(this.content(input, now))),
    );
    this.sealer.afterCommit(manager);
    this.counted(inputs);
  }

  /**
   * A group commit (see GroupCommit) of rows with their events: each batch inserts its rows
   * with `insertMany`, then writes their events into the chain in the same transaction, so
   * every row still commits with its own event. The chain head stays locked from there to
   * the commit, one lock for the whole batch: that is why only a batch records this way
   * (single writes that each took it would queue on that one row).
   */
  groupCommit<T>(
    insertMany: (manager: EntityManager, rows: T[]) => Promise<void>,
  ): GroupCommit<AuditedRow<T>> {
    return new GroupCommit(this.transactions, async (manager, items) => {
      await insertMany(
        manager,
        items.map((item) => item.row),
      );
      await this.recordBatch(
        manager,
        items.map((item) => item.audit),
      );
    });
  }

  /** A batch's events, in order, chained inside its transaction. */
  private async recordBatch(manager: EntityManager, inputs: AuditEventInput[]): Promise<void> {
    if (inputs.length === 0) return;
    const now = this.now();
    await this.sealer.chainInTransaction(
      manager,
      inputs.map((input) => this.content(input, now)),
    );
    this.counted(inputs);
  }

  /** An event's time: to the second, as the chain's canonical form holds it. */
  private now(): Date {
    const now = this.clock.now();
    now.setUTCMilliseconds(0);
    return now;
  }

  private counted(inputs: AuditEventInput[]): void {
    for (const input of inputs) this.metrics.audited(input.action, input.outcome ?? 'success');
  }

  private content(input: AuditEventInput, now: Date): AuditEventFields {
    const actor = input.actor ?? null;
    const principal = actor && isPrincipal(actor) ? actor : null;
    return {
      createdAt: now,
      actorUserId: actor ? (principal ? principal.user.id : (actor as AuditActor).userId) : null,
      actorUsername: actor
        ? principal
          ? principal.user.username
          : ((actor as AuditActor).username ?? null)
        : null,
      actorTokenKind: principal?.kind ?? null,
      actorTokenId: principal?.tokenId ?? null,
      actorDeviceId: principal?.deviceId ?? null,
      action: input.action,
      targetType: input.target?.type ?? null,
      targetId: input.target?.id ?? null,
      outcome: input.outcome ?? 'success',
      ip: input.meta?.ip ?? null,
      userAgent: input.meta?.userAgent ?? null,
      details:
        input.details && Object.keys(input.details).length > 0
          ? JSON.stringify(input.details)
          : null,
    };
  }

  /**
   * A refused attempt an investigator wants to see (a wrong pairing code, a token on an
   * admin route), recorded in its own transaction as `outcome: denied`, at most once per
   * action, source and minute on this instance: the first of a window is written, with how
   * many the previous window refused, so guessing cannot grow the log. Never throws.
   */
  recordRefusal(source: string, input: AuditEventInput): void {
    const nowMs = this.clock.nowMs();
    const memo = `${input.action}|${source}`;
    const window = this.refusals.get(memo);
    if (window && window.untilMs > nowMs) {
      window.count++;
      return;
    }
    if (this.refusals.size >= 10_000) this.refusals.clear();
    this.refusals.set(memo, { untilMs: nowMs + 60_000, count: 1 });
    const earlier = window ? { refused_in_previous_window: window.count } : {};
    void this.transactions
      .run((manager) =>
        this.record(manager, {
          ...input,
          outcome: 'denied',
          details: { ...input.details, ...earlier },
        }),
      )
      .catch((err: unknown) =>
        this.logger.warn(`could not audit a refusal: ${(err as Error).message}`),
      );
  }

  /**
   * Walks the kept chain in batches. Any edit, deletion or reordering of a kept event breaks
   * a link and is named; a head that is not signed by AUDIT_KEY (events deleted at either
   * end with the head moved to match, or the log reset) fails before the walk.
   */
  async verify({ seal = true, batchSize = 1000 } = {}): Promise<AuditVerification> {
    // What is committed but not chained yet is chained first, so it is checked too (not by
    // the command-line check, which only reads).
    if (seal) await this.sealer.seal();
    const head = await this.events.findHead();
    if (!head) throw new Error('audit_chain_head row is missing: run the migrations');
    const signed = this.signedHead(head);
    if (head.signature === null || head.signature !== headSignature(this.key, head)) {
      return {
        ok: false,
        checked: 0,
        reason:
          'the chain head is not signed by AUDIT_KEY: it was edited (events removed at an end, or the log reset)',
        head: signed,
      };
    }
    let prev = { id: head.firstId - 1, hash: head.firstPrevHash };
    let checked = 0;
    for (;;) {
      const batch = await this.events.findBatchAfter(prev.id, batchSize);
      if (checked === 0 && batch.length > 0 && batch[0].id < head.firstId) {
        return {
          ok: false,
          checked,
          brokenAt: batch[0].id,
          reason: 'event is older than the signed start of the log',
          head: signed,
        };
      }
      const result = verifyChainSegment(this.key, batch, prev);
      checked += result.checked;
      if (!result.ok) {
        return {
          ok: false,
          checked,
          brokenAt: result.brokenAt,
          reason: result.reason,
          head: signed,
        };
      }
      prev = result.last;
      if (batch.length < batchSize) break;
    }
    if (prev.id !== head.lastId || prev.hash !== head.lastHash) {
      return {
        ok: false,
        checked,
        brokenAt: prev.id + 1,
        reason: 'the log ends before its signed head: events were deleted',
        head: signed,
      };
    }
    return { ok: true, checked, head: signed };
  }

  async head(): Promise<SignedHead> {
    const head = await this.events.findHead();
    if (!head) throw new Error('audit_chain_head row is missing: run the migrations');
    return this.signedHead(head);
  }

  /**
   * Retention: deletes the events recorded before `before`, oldest first, in batches that
   * each lock the head (so writers and other instances' pruning queue behind it), and moves
   * the signed start of the log past them; then records the checkpoint as an event.
   */
  async prune(before: Date, batchSize = 1000): Promise<{ deleted: number; head: SignedHead }> {
    let deleted = 0;
    for (;;) {
      const batch = await this.transactions.run(async (manager) => {
        const head = await this.events.lockHead(manager);
        const newestOld = await this.events.lastIdBefore(manager, before);
        if (newestOld === null || newestOld < head.firstId) return 0;
        const to = Math.min(head.firstId + batchSize - 1, newestOld, head.lastId);
        const lastHash = await this.events.hashOf(manager, to);
        if (lastHash === null) throw new Error(`audit event ${to} is missing: verify the log`);
        const count = await this.events.deleteRange(manager, head.firstId, to);
        head.firstId = to + 1;
        head.firstPrevHash = lastHash;
        head.signature = headSignature(this.key, head);
        await this.events.saveHead(manager, head);
        return count;
      });
      deleted += batch;
      if (batch === 0) break;
    }
    if (deleted > 0) {
      await this.transactions.run(async (manager) => {
        const start = await this.events.lockHead(manager);
        await this.record(manager, {
          action: 'audit.retention',
          details: {
            deleted,
            before: before.toISOString(),
            first_id: start.firstId,
            first_prev_hash: start.firstPrevHash,
          },
        });
      });
    }
    return { deleted, head: await this.head() };
  }

  /** Newest first, before the cursor id; `limit + 1` rows (the caller pages). */
  list(
    filter: AuditEventFilter,
    beforeId: number | undefined,
    limit: number,
  ): Promise<AuditEvent[]> {
    return this.events.list(filter, beforeId, limit);
  }

  /** How many events match (the admin dashboard's counts over the last day). */
  count(filter: AuditEventFilter): Promise<number> {
    return this.events.count(filter);
  }

  find(id: number): Promise<AuditEvent | null> {
    return this.events.findById(id);
  }

  /**
   * Every event matching the filter, newest first, fetched `batchSize` at a time: memory
   * stays flat however long the log, and a consumer that stops pulling stops the queries.
   */
  async *stream(filter: AuditEventFilter, batchSize = 1000): AsyncGenerator<AuditEvent> {
    let beforeId: number | undefined;
    for (;;) {
      const rows = await this.events.list(filter, beforeId, batchSize - 1);
      for (const row of rows) yield row;
      if (rows.length < batchSize) return;
      beforeId = rows[rows.length - 1].id;
    }
  }

  private signedHead(head: AuditChainHead): SignedHead {
    return {
      firstId: head.firstId,
      firstPrevHash: head.firstPrevHash,
      lastId: head.lastId,
      lastHash: head.lastHash,
      count: keptCount(head),
      signature: head.signature,
    };
  }
}
