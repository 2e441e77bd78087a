import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { RedisConnections } from '../common/redis/redis.module.js';
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

/**
 * Resolved principals by token hash, so the hot path does no query. Revocation stays
 * immediate: every change that can refuse a token evicts here after its commit, the
 * eviction is broadcast to other instances over Redis pub/sub, and a short TTL bounds the
 * damage of a lost message. An epoch counter stops a resolve that raced an eviction from
 * caching the state it read before the change.
 */
@Injectable()
export class PrincipalCache implements OnModuleInit {
  private readonly logger = new Logger(PrincipalCache.name);
  private readonly entries = new Map<string, Entry>();
  private readonly instanceId = randomUUID();
  private readonly ttlMs: number;
  private currentEpoch = 0;

  constructor(
    @Inject(appConfig.KEY) config: AppConfig,
    private readonly redis: RedisConnections,
  ) {
    this.ttlMs = config.principalCacheTtlSeconds * 1000;
  }

  onModuleInit(): void {
    const subscriber = this.redis.subscriber();
    if (!subscriber) return;
    subscriber.subscribe(CHANNEL).catch((err: Error) => this.logger.warn(err.message));
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== CHANNEL) return;
      try {
        const { origin, ...eviction } = JSON.parse(message) as Eviction & { origin: string };
        if (origin !== this.instanceId) this.evictLocally(eviction);
      } catch {
        this.logger.warn('ignored a malformed eviction message');
      }
    });
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

  /** Read before resolving; pass to `set` so a resolve that raced an eviction is dropped. */
  epoch(): number {
    return this.currentEpoch;
  }

  set(hash: string, resolved: ResolvedToken, epochAtStart: number, nowMs: number): void {
    if (this.ttlMs === 0 || epochAtStart !== this.currentEpoch) return;
    const expiresMs = resolved.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
    if (this.entries.size >= MAX_ENTRIES) {
      // Maps iterate in insertion order: drop the oldest tenth.
      let drop = MAX_ENTRIES / 10;
      for (const key of this.entries.keys()) {
        this.entries.delete(key);
        if (--drop <= 0) break;
      }
    }
    this.entries.set(hash, {
      principal: resolved.principal,
      validUntilMs: Math.min(nowMs + this.ttlMs, expiresMs),
    });
  }

  /** Call after the change has committed. */
  evict(eviction: Eviction): void {
    this.evictLocally(eviction);
    const publisher = this.redis.command;
    if (publisher) {
      publisher
        .publish(CHANNEL, JSON.stringify({ ...eviction, origin: this.instanceId }))
        .catch((err: Error) => this.logger.warn(`eviction broadcast failed: ${err.message}`));
    }
  }

  private evictLocally({ tokenIds = [], userIds = [] }: Eviction): void {
    this.currentEpoch++;
    if (tokenIds.length === 0 && userIds.length === 0) return;
    const tokens = new Set(tokenIds);
    const users = new Set(userIds);
    for (const [hash, entry] of this.entries) {
      if (tokens.has(entry.principal.tokenId) || users.has(entry.principal.user.id)) {
        this.entries.delete(hash);
      }
    }
  }
}
