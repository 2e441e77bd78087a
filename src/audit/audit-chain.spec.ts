import { createHmac } from 'node:crypto';
import {
  canonicalAuditEvent,
  chainHash,
  GENESIS_HASH,
  pendingMac,
  verifyChainSegment,
} from './audit-chain.js';
import { AuditEvent } from './audit-event.entity.js';

const KEY = 'k'.repeat(32);

function chain(n: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  let prev = GENESIS_HASH;
  for (let id = 1; id <= n; id++) {
    const event = Object.assign(new AuditEvent(), {
      id,
      createdAt: new Date(Date.UTC(2026, 10, 23, 12, 0, id)),
      actorUserId: 'u1',
      actorUsername: 'alice',
      actorTokenKind: 'session',
      actorTokenId: 't1',
      actorDeviceId: null,
      action: 'auth.login',
      targetType: 'session',
      targetId: `s${id}`,
      outcome: 'success' as const,
      ip: '127.0.0.1',
      userAgent: 'vitest',
      details: null,
      prevHash: prev,
    });
    event.hash = chainHash(KEY, event);
    prev = event.hash;
    events.push(event);
  }
  return events;
}

describe('audit hash chain', () => {
  it('verifies an untouched chain', () => {
    expect(verifyChainSegment(KEY, chain(5), { id: 0, hash: GENESIS_HASH }).ok).toBe(true);
  });

  it('detects an altered field', () => {
    const events = chain(5);
    events[2].outcome = 'failure';
    const result = verifyChainSegment(KEY, events, { id: 0, hash: GENESIS_HASH });
    expect(result).toMatchObject({ ok: false, brokenAt: 3, reason: 'event was altered' });
  });

  it('detects a deleted event', () => {
    const events = chain(5);
    events.splice(1, 1);
    // The deleted one is named.
    expect(verifyChainSegment(KEY, events, { id: 0, hash: GENESIS_HASH })).toMatchObject({
      ok: false,
      brokenAt: 2,
      reason: 'event 2 is missing',
    });
  });

  it('detects a recomputed hash without the key', () => {
    const events = chain(3);
    events[1].details = '{"forged":true}';
    events[1].hash = chainHash('not-the-key'.padEnd(32, 'x'), events[1]);
    expect(verifyChainSegment(KEY, events, { id: 0, hash: GENESIS_HASH }).ok).toBe(false);
  });

  it('hashes the canonical form it always had: the JSON array of id and content', () => {
    const [event] = chain(1);
    const array = JSON.stringify([
      event.id,
      event.createdAt.toISOString(),
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
    ]);
    expect(canonicalAuditEvent(event)).toBe(array);
    const hmac = (...parts: string[]) =>
      parts.reduce((h, part) => h.update(part), createHmac('sha256', KEY)).digest('hex');
    expect(event.hash).toBe(hmac(GENESIS_HASH, array));
    expect(pendingMac(KEY, event)).toBe(
      hmac(
        'pairgate-audit-pending',
        canonicalAuditEvent(Object.assign(new AuditEvent(), event, { id: 0 })),
      ),
    );
  });
});
