import { createHmac } from 'node:crypto';
import type { AuditEvent } from './audit-event.entity.js';

export const GENESIS_HASH = '0'.repeat(64);

type Chained = Omit<AuditEvent, 'hash'>;

type Content = Omit<Chained, 'id' | 'prevHash'>;

/** A fixed field order, so the same event always hashes the same on any database. */
export function canonicalAuditEvent(event: Chained): string {
  return withId(event.id, canonicalContent(event));
}

/** The canonical form from an id and the content's canonical part. */
function withId(id: number, content: string): string {
  return `[${JSON.stringify(id)},${content}`;
}

/**
 * The content's part of `canonicalAuditEvent`: everything after the id, the same bytes
 * `JSON.stringify([id, …content])` gives after its `[id,`. The sealer computes it once per
 * event for both the MAC check and the chain hash.
 */
export function canonicalContent(event: Content): string {
  return JSON.stringify([
    new Date(event.createdAt).toISOString(),
    event.actorUserId,
    event.actorUsername,
    event.actorTokenKind,
    event.actorTokenId,
    event.actorDeviceId,
    event.action,
    event.targetType,
    event.targetId,
    event.outcome,
    event.ip,
    event.userAgent,
    event.details,
  ]).slice(1);
}

/**
 * The writer's seal on a pending event: HMAC(AUDIT_KEY) over its content (no chain position
 * yet). The sealer chains only rows that carry it, so a row written into `audit_pending`
 * without the key never enters the log.
 */
export function pendingMac(
  key: string,
  content: Content,
  canonical: string = canonicalContent(content),
): string {
  return createHmac('sha256', key)
    .update('pairgate-audit-pending')
    .update(withId(0, canonical))
    .digest('hex');
}

/** hash = HMAC(AUDIT_KEY, prev_hash || canonical(event)) */
export function chainHash(
  key: string,
  event: Chained,
  canonical: string = canonicalContent(event),
): string {
  return createHmac('sha256', key)
    .update(event.prevHash)
    .update(withId(event.id, canonical))
    .digest('hex');
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /** The first event whose link does not hold, when `ok` is false. */
  brokenAt?: number;
  reason?: string;
}

/** Checks a run of consecutive events starting after `prevHash`/`prevId`. */
export function verifyChainSegment(
  key: string,
  events: AuditEvent[],
  prev: { id: number; hash: string },
): ChainVerification & { last: { id: number; hash: string } } {
  let last = prev;
  for (const [i, event] of events.entries()) {
    if (event.id !== last.id + 1) {
      return {
        ok: false,
        checked: i,
        brokenAt: last.id + 1,
        reason: `event ${last.id + 1} is missing`,
        last,
      };
    }
    if (event.prevHash !== last.hash) {
      return {
        ok: false,
        checked: i,
        brokenAt: event.id,
        reason: 'prev_hash does not match',
        last,
      };
    }
    if (chainHash(key, event) !== event.hash) {
      return { ok: false, checked: i, brokenAt: event.id, reason: 'event was altered', last };
    }
    last = { id: event.id, hash: event.hash };
  }
  return { ok: true, checked: events.length, last };
}

/** The ends of the kept log, as the chain head records them. */
export interface ChainEnds {
  firstId: number;
  firstPrevHash: string;
  lastId: number;
  lastHash: string;
}

/** How many events the kept log holds. */
export function keptCount(ends: ChainEnds): number {
  return Math.max(0, ends.lastId - ends.firstId + 1);
}

/**
 * HMAC(AUDIT_KEY) over both ends of the kept log and its count. Someone with database
 * access but not the key cannot move the head back after deleting the newest events, nor
 * forward after deleting the oldest, nor reset it to the genesis values.
 */
export function headSignature(key: string, ends: ChainEnds): string {
  return createHmac('sha256', key)
    .update(
      JSON.stringify([
        'pairgate-audit-head',
        ends.firstId,
        ends.firstPrevHash,
        ends.lastId,
        ends.lastHash,
        keptCount(ends),
      ]),
    )
    .digest('hex');
}
