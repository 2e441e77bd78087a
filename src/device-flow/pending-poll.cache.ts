import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EvictableTtlMap } from '../common/evictable-ttl-map.js';
import { EvictionBus } from '../common/redis/eviction-bus.js';

/** What a poll needs to know about a code that is still waiting for its user. */
export interface PendingPollState {
  id: string;
  clientId: string | null;
  intervalSeconds: number;
  expiresAtMs: number;
}

const CHANNEL = 'pairgate:device-flow-evictions';
/**
 * Bounds how long a poll can keep hearing `authorization_pending` after an approval on
 * another instance whose eviction message was lost (or with no Redis to carry it). Longer
 * than the poll interval, or the view would never be hit.
 */
export const PENDING_VIEW_TTL_MS = 15_000;
const MAX_ENTRIES = 100_000;

/**
 * A short-lived view of pending device codes, so a device polling every few seconds costs
 * no query while its user has not decided. Only `pending` is ever cached, and it can only
 * answer `authorization_pending`/`slow_down`: approve and deny evict the entry after their
 * commit (here and, through Redis, on other instances), expiry is computed from the cached
 * `expires_at`, and collecting a token always goes through the database's conditional
 * update, never through this view.
 */
@Injectable()
export class PendingPollCache implements OnModuleInit {
  private readonly entries = new EvictableTtlMap<PendingPollState>(MAX_ENTRIES);

  constructor(private readonly bus: EvictionBus) {}

  onModuleInit(): void {
    this.bus.subscribe(CHANNEL, (hash) => this.entries.delete(hash as string));
  }

  get(codeHash: string, nowMs: number): PendingPollState | undefined {
    return this.entries.get(codeHash, nowMs);
  }

  /** Read before querying; pass to `set` so a read that raced an eviction is not cached. */
  epoch(): number {
    return this.entries.epoch();
  }

  set(codeHash: string, state: PendingPollState, epochAtStart: number, nowMs: number): void {
    const validUntilMs = Math.min(nowMs + PENDING_VIEW_TTL_MS, state.expiresAtMs);
    this.entries.set(codeHash, state, validUntilMs, epochAtStart);
  }

  /** Call after the commit that took the code out of `pending`; await it (see EvictionBus). */
  async evict(codeHash: string): Promise<void> {
    this.entries.delete(codeHash);
    await this.bus.publish(CHANNEL, codeHash);
  }
}
