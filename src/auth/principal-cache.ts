import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { EvictableTtlMap } from '../common/evictable-ttl-map.js';
import { EvictionBus } from '../common/redis/eviction-bus.js';
import type { Principal } from './principal.js';
import type { ResolvedToken } from './token-kind.registry.js';

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
  private readonly entries = new EvictableTtlMap<Principal>(MAX_ENTRIES);
  /** Hashes that resolved to nothing (never issued, revoked, expired, user disabled). */
  private readonly refused = new EvictableTtlMap<true>(MAX_REFUSED);
  private readonly ttlMs: number;

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
    return this.ttlMs === 0 ? undefined : this.entries.get(hash, nowMs);
  }

  /**
   * Whether this hash was refused in the last few seconds: a flood of made-up or revoked
   * tokens costs no query. Nothing can make such a hash valid again except re-enabling its
   * user, and user evictions clear this memo.
   */
  isRefused(hash: string, nowMs: number): boolean {
    return this.refused.get(hash, nowMs) === true;
  }

  refuse(hash: string, epochAtStart: number, nowMs: number): void {
    if (epochAtStart !== this.entries.epoch()) return;
    this.refused.set(hash, true, nowMs + REFUSED_TTL_MS, this.refused.epoch());
  }

  /** Read before resolving; pass to `set` so a resolve that raced an eviction is dropped. */
  epoch(): number {
    return this.entries.epoch();
  }

  set(hash: string, resolved: ResolvedToken, epochAtStart: number, nowMs: number): void {
    if (this.ttlMs === 0) return;
    const expiresMs = resolved.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
    this.entries.set(
      hash,
      resolved.principal,
      Math.min(nowMs + this.ttlMs, expiresMs),
      epochAtStart,
    );
  }

  /** Call after the change has committed, and await it before answering (see EvictionBus). */
  async evict(eviction: Eviction): Promise<void> {
    this.evictLocally(eviction);
    await this.bus.publish(CHANNEL, eviction);
  }

  private evictLocally({ tokenIds = [], userIds = [] }: Eviction): void {
    if (userIds.length > 0) this.refused.clear();
    const tokens = new Set(tokenIds);
    const users = new Set(userIds);
    this.entries.deleteWhere(
      (principal) => tokens.has(principal.tokenId) || users.has(principal.user.id),
    );
  }
}
