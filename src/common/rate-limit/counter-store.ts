import type { Redis } from 'ioredis';

/** One fixed window's count: the first hit opens the window, it ends `msLeft` later. */
export interface WindowCount {
  hits: number;
  msLeft: number;
}

/** Where rate-limit counters live. `name` is the counter family, `key` what it counts by. */
export interface CounterStore {
  increment(name: string, key: string, windowMs: number): Promise<WindowCount>;
  /** The current window's count without adding a hit (0 when no window is open). */
  peek(name: string, key: string): Promise<WindowCount>;
}

interface Window {
  hits: number;
  endsAt: number;
}

const SWEEP_EVERY = 10_000;

/**
 * Counters in this process: a Map of fixed windows, O(1) per hit. (@nestjs/throttler's own
 * store keeps a timestamp per hit and filters them on every hit: O(hits in the window).)
 */
export class MemoryCounterStore implements CounterStore {
  private readonly windows = new Map<string, Window>();
  private calls = 0;

  constructor(private readonly now: () => number = Date.now) {}

  increment(name: string, key: string, windowMs: number): Promise<WindowCount> {
    const now = this.now();
    if (++this.calls % SWEEP_EVERY === 0) this.sweep(now);
    const id = `${name}:${key}`;
    let window = this.windows.get(id);
    if (!window || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + windowMs };
      this.windows.set(id, window);
    }
    window.hits++;
    return Promise.resolve({ hits: window.hits, msLeft: window.endsAt - now });
  }

  peek(name: string, key: string): Promise<WindowCount> {
    const now = this.now();
    const window = this.windows.get(`${name}:${key}`);
    return Promise.resolve(
      window && window.endsAt > now
        ? { hits: window.hits, msLeft: window.endsAt - now }
        : { hits: 0, msLeft: 0 },
    );
  }

  private sweep(now: number): void {
    for (const [id, window] of this.windows) if (window.endsAt <= now) this.windows.delete(id);
  }
}

// The first hit sets the expiry, so every instance counts into one window.
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { hits, ttl }
`;

const PEEK = `
local hits = redis.call('GET', KEYS[1])
if not hits then return { 0, 0 } end
return { tonumber(hits), redis.call('PTTL', KEYS[1]) }
`;

/** The same windows in Redis, so limits hold across instances. */
export class RedisCounterStore implements CounterStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'pairgate:rl:',
  ) {}

  async increment(name: string, key: string, windowMs: number): Promise<WindowCount> {
    const [hits, msLeft] = (await this.redis.eval(
      INCREMENT,
      1,
      `${this.prefix}${name}:${key}`,
      windowMs,
    )) as [number, number];
    return { hits, msLeft };
  }

  async peek(name: string, key: string): Promise<WindowCount> {
    const [hits, msLeft] = (await this.redis.eval(PEEK, 1, `${this.prefix}${name}:${key}`)) as [
      number,
      number,
    ];
    return { hits, msLeft: Math.max(0, msLeft) };
  }
}
