import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { Transactions } from '../common/database/transactions.js';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { canonicalContent, chainHash, headSignature, pendingMac } from './audit-chain.js';
import {
  AuditChainHead,
  AuditEvent,
  type AuditEventFields,
  type AuditPendingEvent,
} from './audit-event.entity.js';
import { AuditRepository } from './audit.repository.js';

/** Pending events chained per transaction: one head lock, one insert, one delete. */
const BATCH = 500;
/** How often an instance looks for events another (stopped) instance committed unsealed. */
const SWEEP_MS = 5_000;

/**
 * Seals committed events into the hash chain. Writers insert into `audit_pending` inside
 * their own transaction, with no shared lock, so audited writes commit side by side (and
 * share the database's group commit). After the commit they wait here: one seal cycle at
 * a time per instance takes the chain head's row lock, reads the pending rows in id order,
 * gives each the next chain position and hash, inserts them into `audit_events`, deletes
 * them from `audit_pending` and moves the signed head, in one transaction. Callers that
 * arrive while a cycle runs share the next one, so under load one cycle seals many writes.
 *
 * With several instances the head lock orders their cycles; each reads the pending rows
 * after taking it, so none is sealed twice. A row a transaction commits late (a lower id
 * after higher ones were sealed) is simply sealed in a later cycle: the chain position is
 * given at sealing, so the chain has no gaps whatever the commit order.
 *
 * A group commit's batch skips the pending step (`chainInTransaction`): it takes the head
 * lock in its own transaction, once for the whole batch, and commits its events chained.
 */
@Injectable()
export class AuditSealer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private readonly key: string;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private sweep?: NodeJS.Timeout;
  /**
   * Where this instance last moved the chain's head, committed or still committing; null
   * when unknown (at start, and after a rollback of the transaction that moved it there).
   */
  private tip: AuditChainHead | null = null;

  constructor(
    private readonly events: AuditRepository,
    private readonly transactions: Transactions,
    private readonly clock: Clock,
    @Inject(appConfig.KEY) config: AppConfig,
  ) {
    this.key = config.secrets.auditKey;
  }

  /** Seals what a stopped instance left committed but unsealed, then sweeps now and then. */
  onApplicationBootstrap(): void {
    void this.seal();
    this.sweep = setInterval(() => void this.seal(), SWEEP_MS).unref();
  }

  /**
   * Before the database closes. Requests still finishing during shutdown seal their own
   * events as usual; one that cannot is sealed by whichever instance starts or sweeps next.
   */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.sweep);
    await this.seal();
  }

  /** The writer's half: the content and its MAC, for `audit_pending`. */
  pending(content: AuditEventFields): Omit<AuditPendingEvent, 'id'> {
    return { ...content, mac: pendingMac(this.key, content) };
  }

  /**
   * Seals what the transaction of `manager` recorded once it has committed, before the
   * caller's `Transactions.run` returns.
   */
  afterCommit(manager: EntityManager): void {
    this.transactions.onCommit(manager, this.sealCommitted);
  }

  private readonly sealCommitted = (): Promise<void> => this.seal();

  /**
   * Resolves when a cycle that started after this call has sealed every pending row it
   * could see, so a writer's own event is in the chain by then. Never rejects: a failed
   * cycle is logged and its rows wait for the next.
   */
  seal(): Promise<void> {
    if (!this.running) {
      this.running = this.cycle().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    this.queued ??= this.running.then(() => {
      this.queued = null;
      return this.seal();
    });
    return this.queued;
  }

  private async cycle(): Promise<void> {
    try {
      while ((await this.sealBatch()) === BATCH);
    } catch (err) {
      this.logger.error(`could not seal audit events: ${(err as Error).message}`);
    }
  }

  /**
   * Chains events inside the caller's transaction, for a group commit's batch: the head's
   * row lock is held from here to the commit, once for the whole batch, and the events
   * need no pending row, no re-read and no seal after the commit.
   *
   * Linked after `tip`, the head this instance last moved the chain to, committed or not:
   * the head moves only if it still is that tip, in one statement that takes its row lock
   * (so it waits for the commit of the batch before), and then the events go in. That is
   * one round trip less than reading the head under lock first, inside the stretch where
   * batches queue on that lock. When the head is not where this instance expected (another
   * instance or the retention moved it, or the batch before rolled back), nothing changed
   * and the batch links after the head read under lock instead. No event is ever written
   * before its transaction holds the head's lock, so writers cannot wait on each other's
   * events.
   */
  async chainInTransaction(manager: EntityManager, contents: AuditEventFields[]): Promise<void> {
    const expected = this.tip;
    if (expected) {
      const head = Object.assign(new AuditChainHead(), expected);
      const events = this.link(head, contents);
      this.advanceTip(manager, head);
      if (await this.events.moveHead(manager, expected, head)) {
        await this.events.insertEvents(manager, events);
        return;
      }
    }
    const head = await this.events.lockHead(manager);
    const events = this.link(head, contents);
    this.advanceTip(manager, head);
    await this.events.appendMany(manager, events, head);
  }

  /** The next batch links after `head`; forgotten if its transaction rolls back. */
  private advanceTip(manager: EntityManager, head: AuditChainHead): void {
    this.tip = head;
    this.transactions.onRollback(manager, () => {
      if (this.tip === head) this.tip = null;
    });
  }

  /** One transaction: the next `BATCH` pending rows into the chain. Returns how many. */
  private sealBatch(): Promise<number> {
    return this.transactions.run(async (manager) => {
      const head = await this.events.lockHead(manager);
      const pending = await this.events.pendingBatch(manager, BATCH);
      if (pending.length === 0) return 0;
      const contents: AuditEventFields[] = [];
      const canonicals: string[] = [];
      const refused: number[] = [];
      for (const row of pending) {
        const { id, mac, ...content } = row;
        const canonical = canonicalContent(content);
        if (mac === pendingMac(this.key, content, canonical)) {
          contents.push(content);
          canonicals.push(canonical);
        } else {
          refused.push(id);
        }
      }
      if (refused.length > 0) {
        // Written without AUDIT_KEY: kept out of the log, and the refusal itself recorded.
        this.logger.error(`refused ${refused.length} pending audit event(s) without a valid MAC`);
        const now = this.clock.now();
        now.setUTCMilliseconds(0);
        contents.push({
          createdAt: now,
          actorUserId: null,
          actorUsername: null,
          actorTokenKind: null,
          actorTokenId: null,
          actorDeviceId: null,
          action: 'audit.pending_refused',
          targetType: null,
          targetId: null,
          outcome: 'failure',
          ip: null,
          userAgent: null,
          details: JSON.stringify({
            reason: 'no valid MAC: not written by this service',
            pending_ids: refused,
          }),
        });
      }
      const events = this.link(head, contents, canonicals);
      this.advanceTip(manager, head);
      await this.events.appendMany(manager, events, head);
      await this.events.deletePending(
        manager,
        pending.map((row) => row.id),
      );
      return pending.length;
    });
  }

  /**
   * The contents as the next events of the chain after `head`, which moves to the last and
   * is signed again. `canonicals`: the contents' canonical forms where already computed.
   */
  private link(
    head: AuditChainHead,
    contents: AuditEventFields[],
    canonicals: string[] = [],
  ): AuditEvent[] {
    let prev = { id: head.lastId, hash: head.lastHash };
    const events = contents.map((content, i) => {
      const event = Object.assign(new AuditEvent(), content, {
        id: prev.id + 1,
        prevHash: prev.hash,
      });
      event.hash = chainHash(this.key, event, canonicals[i] ?? canonicalContent(content));
      prev = { id: event.id, hash: event.hash };
      return event;
    });
    head.lastId = prev.id;
    head.lastHash = prev.hash;
    head.signature = headSignature(this.key, head);
    return events;
  }
}
