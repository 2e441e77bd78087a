import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { EvictionBus } from '../common/redis/eviction-bus.js';
import type { Principal } from './principal.js';
import type { ResolvedToken } from './token-kind.registry.js';

interface Entry {
  principal: Principal;
  validUntilMs: number;
}

export interface Eviction {
  tokenIds?: string[];
  userIds?: string[];
}

const CHANNEL = 'pairgate:principal-evictions';
const MAX_ENTRIES = 50_000;
/** How long a refused token hash is answered from memory, and how many are kept. */
const REFUSED_TTL_MS = 10_000;
const MAX_REFUSED = 10_000;

/**
 * Resolved principals by token hash, so the hot path does no query. Revocation stays
 * immediate: every change that can refuse a token evicts here after its commit, the
 * eviction is broadcast to other instances over Redis pub/sub, and a short TTL bounds the
 * damage of a lost message. An epoch counter stops a resolve that raced an eviction from
 * caching the state it read before the change.
 */
@Injectable()
export class PrincipalCache implements OnModuleInit {
  private readonly entries = new Map<string, Entry>();
  /** Hashes that resolved to nothing (never issued, revoked, expired, user disabled). */
  private readonly refused = new Map<string, number>();
  private readonly ttlMs: number;
  private currentEpoch = 0;

  constructor(
    @Inject(appConfig.KEY) config: AppConfig,
    private readonly bus: EvictionBus,
  ) {
    this.ttlMs = config.principalCacheTtlSeconds * 1000;
  }

  onModuleInit(): void {
    this.bus.subscribe(CHANNEL, (message) => this.evictLocally(message as Eviction));
  }

  get(hash: string, nowMs: number): Principal | undefined {
    if (this.ttlMs === 0) return undefined;
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (entry.validUntilMs <= nowMs) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry.principal;
  }

  /**
   * Whether this hash was refused in the last few seconds: a flood of made-up or revoked
   * tokens costs no query. Nothing can make such a hash valid again except re-enabling its
   * user, and user evictions clear this memo.
   */
  isRefused(hash: string, nowMs: number): boolean {
    const until = this.refused.get(hash);
    if (until === undefined) return false;
    if (until > nowMs) return true;
    this.refused.delete(hash);
    return false;
  }

  refuse(hash: string, epochAtStart: number, nowMs: number): void {
    if (epochAtStart !== this.currentEpoch) return;
    dropOldest(this.refused, MAX_REFUSED);
    this.refused.set(hash, nowMs + REFUSED_TTL_MS);
  }

  /** Read before resolving; pass to `set` so a resolve that raced an eviction is dropped. */
  epoch(): number {
    return this.currentEpoch;
  }

  set(hash: string, resolved: ResolvedToken, epochAtStart: number, nowMs: number): void {
    if (this.ttlMs === 0 || epochAtStart !== this.currentEpoch) return;
    const expiresMs = resolved.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
    dropOldest(this.entries, MAX_ENTRIES);
    this.entries.set(hash, {
      principal: resolved.principal,
      validUntilMs: Math.min(nowMs + this.ttlMs, expiresMs),
    });
  }

  /** Call after the change has committed, and await it before answering (see EvictionBus). */
  async evict(eviction: Eviction): Promise<void> {
    this.evictLocally(eviction);
    await this.bus.publish(CHANNEL, eviction);
  }

  private evictLocally({ tokenIds = [], userIds = [] }: Eviction): void {
    this.currentEpoch++;
    if (tokenIds.length === 0 && userIds.length === 0) return;
    if (userIds.length > 0) this.refused.clear();
    const tokens = new Set(tokenIds);
    const users = new Set(userIds);
    for (const [hash, entry] of this.entries) {
      if (tokens.has(entry.principal.tokenId) || users.has(entry.principal.user.id)) {
        this.entries.delete(hash);
      }
    }
  }
}

/** Keeps a map under `max` entries: Maps iterate in insertion order, so drop the oldest tenth. */
function dropOldest(map: Map<string, unknown>, max: number): void {
  if (map.size < max) return;
  let drop = max / 10;
  for (const key of map.keys()) {
    map.delete(key);
    if (--drop <= 0) break;
  }
}
