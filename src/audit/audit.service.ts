import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { Metrics } from '../common/metrics/metrics.js';
import type { RequestMeta } from '../common/request-meta.js';
import { appConfig, type AppConfig } from '../config/app.config.js';
import {
  chainHash,
  type ChainVerification,
  GENESIS_HASH,
  verifyChainSegment,
} from './audit-chain.js';
import { AuditEvent, type AuditOutcome } from './audit-event.entity.js';
import { AuditRepository } from './audit.repository.js';

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

function isPrincipal(actor: AuditPrincipal | AuditActor): actor is AuditPrincipal {
  return 'tokenId' in actor;
}

@Injectable()
export class AuditService {
  private readonly key: string;

  constructor(
    private readonly events: AuditRepository,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    @Inject(appConfig.KEY) config: AppConfig,
  ) {
    this.key = config.secrets.auditKey;
  }

  /**
   * Appends an event inside the caller's transaction, so the change and its record commit
   * together or not at all.
   */
  async record(manager: EntityManager, input: AuditEventInput): Promise<AuditEvent> {
    const [event] = await this.recordMany(manager, [input]);
    return event;
  }

  /**
   * Appends several events, in order, inside the caller's transaction: one head lock, one
   * insert, one head update. For group commits (see DeviceAuthorizationWriter), where many
   * changes share a transaction and each still commits with its own event.
   */
  async recordMany(manager: EntityManager, inputs: AuditEventInput[]): Promise<AuditEvent[]> {
    if (inputs.length === 0) return [];
    const head = await this.events.lockHead(manager);
    const now = this.clock.now();
    now.setUTCMilliseconds(0);
    let prev = { id: head.lastId, hash: head.lastHash };
    const events = inputs.map((input) => {
      const event = this.build(input, prev, now);
      prev = { id: event.id, hash: event.hash };
      return event;
    });
    await this.events.appendMany(manager, events);
    for (const event of events) this.metrics.audited(event.action, event.outcome);
    return events;
  }

  private build(input: AuditEventInput, prev: { id: number; hash: string }, now: Date): AuditEvent {
    const actor = input.actor ?? null;
    const event = Object.assign(new AuditEvent(), {
      id: prev.id + 1,
      createdAt: now,
      actorUserId: actor ? (isPrincipal(actor) ? actor.user.id : actor.userId) : null,
      actorUsername: actor
        ? isPrincipal(actor)
          ? actor.user.username
          : (actor.username ?? null)
        : null,
      actorTokenKind: actor && isPrincipal(actor) ? actor.kind : null,
      actorTokenId: actor && isPrincipal(actor) ? actor.tokenId : null,
      actorDeviceId: actor && isPrincipal(actor) ? actor.deviceId : null,
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
      prevHash: prev.hash,
    });
    event.hash = chainHash(this.key, event);
    return event;
  }

  /** Walks the whole chain; any edit, deletion or reordering breaks a link. */
  async verify(batchSize = 1000): Promise<ChainVerification> {
    let prev = { id: 0, hash: GENESIS_HASH };
    let checked = 0;
    for (;;) {
      const batch = await this.events.findBatchAfter(prev.id, batchSize);
      const result = verifyChainSegment(this.key, batch, prev);
      checked += result.checked;
      if (!result.ok)
        return { ok: false, checked, brokenAt: result.brokenAt, reason: result.reason };
      prev = result.last;
      if (batch.length < batchSize) break;
    }
    const head = await this.events.findHead();
    if (head && (head.lastId !== prev.id || head.lastHash !== prev.hash)) {
      return {
        ok: false,
        checked,
        brokenAt: prev.id + 1,
        reason: 'the log ends before its recorded head: events were deleted',
      };
    }
    return { ok: true, checked };
  }
}
