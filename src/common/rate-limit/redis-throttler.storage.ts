import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';

// Fixed window: the first hit sets the expiry, so every instance counts into one window.
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { hits, ttl }
`;

/** @nestjs/throttler's storage interface on ioredis, so limits hold across instances. */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'pairgate:rl:',
  ) {}

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, name: string) {
    const [hits, pttl] = (await this.redis.eval(
      INCREMENT,
      1,
      `${this.prefix}${name}:${key}`,
      ttl,
    )) as [number, number];
    const timeToExpire = Math.ceil(pttl / 1000);
    return {
      totalHits: hits,
      timeToExpire,
      isBlocked: hits > limit,
      timeToBlockExpire: hits > limit ? timeToExpire : 0,
    };
  }
}
