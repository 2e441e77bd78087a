import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiException } from '../errors/api.exception.js';
import { Metrics } from '../metrics/metrics.js';
import { RedisConnections } from '../redis/redis.module.js';
import {
  type CounterStore,
  MemoryCounterStore,
  RedisCounterStore,
  type WindowCount,
} from './counter-store.js';

export interface RateLimit {
  /** Names the counter family, e.g. `login.ip`. */
  name: string;
  limit: number;
  windowSeconds: number;
}

/** Where the counters live: the shared store (Redis) when it answers, this process otherwise. */
export interface RateLimitStores {
  shared: CounterStore | null;
  /** Whether the shared store is worth trying now (false while it is known to be down). */
  sharedAvailable(): boolean;
  local: CounterStore;
}

export const RATE_LIMIT_STORES = Symbol('RATE_LIMIT_STORES');

/** Told once per limit, key and window when a limit first refuses (for the audit log). */
export type RateLimitListener = (limit: RateLimit, key: string, windowEndsMs: number) => void;

const MAX_EXCEEDED_MEMO = 10_000;

/**
 * Counts hits per key: in Redis when REDIS_URL is set, so every instance counts into one
 * window, in memory otherwise. Every hit counts, successes included, so a success never
 * resets a guesser. When Redis is down or slow the hit is counted in this process's memory
 * instead: limits become per instance for the outage, never absent.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);
  private sharedFailing = false;
  private readonly listeners: RateLimitListener[] = [];
  /** `name|key` -> end of the window already reported. */
  private readonly exceeded = new Map<string, number>();

  constructor(
    @Inject(RATE_LIMIT_STORES) private readonly stores: RateLimitStores,
    private readonly metrics: Metrics,
  ) {}

  /**
   * A module that wants to know (the audit log) hears about each limit, key and window once,
   * at the first refusal, however many requests the window then refuses.
   */
  onExceeded(listener: RateLimitListener): void {
    this.listeners.push(listener);
  }

  /** Counts a hit; throws 429 with Retry-After once the window's limit is passed. */
  async consume(limit: RateLimit, key: string): Promise<void> {
    const count = await this.count(limit, key);
    if (count.hits > limit.limit) throw this.refusal(limit, count, key);
  }

  /** Counts hits under several keys at once (per IP and per user, say); throws if any is over. */
  async consumeAll(limits: Array<[RateLimit, string]>): Promise<void> {
    const counts = await Promise.all(limits.map(([limit, key]) => this.count(limit, key)));
    const over = counts
      .map((count, i) => ({ count, limit: limits[i][0] }))
      .filter(({ count, limit }) => count.hits > limit.limit);
    if (over.length > 0) {
      for (const { limit, count } of over) {
        this.metrics.rateLimited.inc({ limit: limit.name });
        this.report(limit, limits.find(([l]) => l === limit)![1], count);
      }
      throw ApiException.tooManyRequests(Math.max(...over.map(({ count }) => count.msLeft)) / 1000);
    }
  }

  /** Counts a hit and returns the window's count, without refusing anything. */
  count(limit: RateLimit, key: string): Promise<WindowCount> {
    return this.use((store) => store.increment(limit.name, key, limit.windowSeconds * 1000));
  }

  /** The window's count so far, without adding a hit (for limits that count failures only). */
  peek(limit: RateLimit, key: string): Promise<WindowCount> {
    return this.use((store) => store.peek(limit.name, key));
  }

  /** The 429 for a limit that is spent, counted in the metrics and reported once a window. */
  refusal(limit: RateLimit, count: WindowCount, key: string): ApiException {
    this.metrics.rateLimited.inc({ limit: limit.name });
    this.report(limit, key, count);
    return ApiException.tooManyRequests(count.msLeft / 1000);
  }

  private report(limit: RateLimit, key: string, count: WindowCount): void {
    if (this.listeners.length === 0) return;
    const nowMs = Date.now();
    const memo = `${limit.name}|${key}`;
    if ((this.exceeded.get(memo) ?? 0) > nowMs) return;
    if (this.exceeded.size >= MAX_EXCEEDED_MEMO) this.exceeded.clear();
    const windowEndsMs = nowMs + count.msLeft;
    this.exceeded.set(memo, windowEndsMs);
    for (const listener of this.listeners) {
      try {
        listener(limit, key, windowEndsMs);
      } catch (err) {
        this.logger.warn(`rate-limit listener failed: ${(err as Error).message}`);
      }
    }
  }

  private async use(operation: (store: CounterStore) => Promise<WindowCount>) {
    const { shared, local } = this.stores;
    if (shared && this.stores.sharedAvailable()) {
      try {
        const count = await operation(shared);
        if (this.sharedFailing) {
          this.sharedFailing = false;
          this.logger.log('rate limits are shared through Redis again');
        }
        return count;
      } catch (err) {
        if (!this.sharedFailing) {
          this.sharedFailing = true;
          this.logger.warn(
            `rate-limit store unavailable (${(err as Error).message}); counting in this process`,
          );
        }
      }
    }
    return operation(local);
  }
}

export const rateLimitStoresProvider = {
  provide: RATE_LIMIT_STORES,
  inject: [RedisConnections],
  useFactory: (redis: RedisConnections): RateLimitStores => ({
    shared: redis.command ? new RedisCounterStore(redis.command) : null,
    sharedAvailable: () => redis.available,
    local: new MemoryCounterStore(),
  }),
};
