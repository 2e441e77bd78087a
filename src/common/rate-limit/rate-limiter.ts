import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { RedisConnections } from '../redis/redis.module.js';
import { ApiException } from '../errors/api.exception.js';
import { MemoryThrottlerStorage } from './memory-throttler.storage.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

export interface RateLimit {
  /** Names the counter family, e.g. `login.ip`. */
  name: string;
  limit: number;
  windowSeconds: number;
}

export const THROTTLER_STORAGE = Symbol('THROTTLER_STORAGE');

/**
 * Counts hits per key on the throttler's storage (Redis when REDIS_URL is set, memory
 * otherwise). Every hit counts, successes included, so a success never resets a guesser.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);

  constructor(@Inject(THROTTLER_STORAGE) private readonly storage: ThrottlerStorage) {}

  /** Counts a hit; throws 429 with Retry-After once the window's limit is passed. */
  async consume(limit: RateLimit, key: string): Promise<void> {
    const record = await this.hit(limit, key);
    if (record && record.totalHits > limit.limit) {
      throw ApiException.tooManyRequests(record.timeToExpire);
    }
  }

  /** Counts hits under several keys at once (per IP and per user, say); throws if any is over. */
  async consumeAll(limits: Array<[RateLimit, string]>): Promise<void> {
    const records = await Promise.all(limits.map(([limit, key]) => this.hit(limit, key)));
    const over = records
      .map((record, i) => ({ record, limit: limits[i][0] }))
      .filter(({ record, limit }) => record && record.totalHits > limit.limit);
    if (over.length > 0) {
      throw ApiException.tooManyRequests(
        Math.max(...over.map(({ record }) => record!.timeToExpire)),
      );
    }
  }

  private async hit(limit: RateLimit, key: string) {
    try {
      return await this.storage.increment(
        key,
        limit.windowSeconds * 1000,
        limit.limit,
        limit.windowSeconds * 1000,
        limit.name,
      );
    } catch (err) {
      // A rate-limit store outage must not take login down with it.
      this.logger.warn(`rate limit store unavailable: ${(err as Error).message}`);
      return null;
    }
  }
}

export const throttlerStorageProvider = {
  provide: THROTTLER_STORAGE,
  inject: [RedisConnections],
  useFactory: (redis: RedisConnections): ThrottlerStorage =>
    redis.command ? new RedisThrottlerStorage(redis.command) : new MemoryThrottlerStorage(),
};
