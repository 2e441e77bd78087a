import type { RedisConnections } from '../common/redis/redis.module.js';
import { decide, DevicePollTracker } from './device-poll.tracker.js';

describe('slow_down rule', () => {
  it('never slows down the first poll', () => {
    expect(decide(undefined, 0, 5)).toEqual({ slowDown: false, intervalSeconds: 5 });
  });

  it('allows 10 % jitter, then adds 5 s up to 60 s', () => {
    const last = { lastPollMs: 0, intervalSeconds: 5 };
    expect(decide(last, 4_500, 5)).toEqual({ slowDown: false, intervalSeconds: 5 });
    expect(decide(last, 4_499, 5)).toEqual({ slowDown: true, intervalSeconds: 10 });
    expect(decide({ lastPollMs: 0, intervalSeconds: 60 }, 1_000, 5)).toEqual({
      slowDown: true,
      intervalSeconds: 60,
    });
  });

  it('keeps a grown interval for later polls', () => {
    expect(decide({ lastPollMs: 0, intervalSeconds: 15 }, 14_000, 5)).toEqual({
      slowDown: false,
      intervalSeconds: 15,
    });
  });
});

describe('DevicePollTracker in memory', () => {
  const tracker = () => new DevicePollTracker({ command: null } as unknown as RedisConnections);

  it('remembers each code separately and forgets on request', async () => {
    const t = tracker();
    expect((await t.poll('a', 0, 5, 600_000)).slowDown).toBe(false);
    expect((await t.poll('b', 1_000, 5, 600_000)).slowDown).toBe(false);
    expect(await t.poll('a', 2_000, 5, 600_000)).toEqual({ slowDown: true, intervalSeconds: 10 });
    // Measured from the slow_down poll, with the new interval.
    expect((await t.poll('a', 11_000, 5, 600_000)).slowDown).toBe(false);
    t.forget('a');
    expect((await t.poll('a', 11_500, 5, 600_000)).slowDown).toBe(false);
  });
});
