import { Injectable, Logger } from '@nestjs/common';
import { RedisConnections } from '../common/redis/redis.module.js';

/** RFC 8628 §3.5: slow_down adds 5 seconds to the interval "for this and all subsequent requests". */
export const SLOW_DOWN_STEP_SECONDS = 5;
export const MAX_INTERVAL_SECONDS = 60;
/** A poll this fraction of the interval early still counts as on time (timer jitter). */
export const POLL_JITTER = 0.1;
const MAX_ENTRIES = 200_000;

export interface PollDecision {
  slowDown: boolean;
  /** The interval the device must keep from now on. */
  intervalSeconds: number;
}

interface PollEntry {
  lastPollMs: number;
  intervalSeconds: number;
  expiresAtMs: number;
}

// The same rule as `decide` below, atomic in Redis so every instance sees one history.
const POLL_SCRIPT = `
local state = redis.call('HMGET', KEYS[1], 'l', 'i')
local now = tonumber(ARGV[1])
local interval = tonumber(state[2] or ARGV[2])
local slow = 0
if state[1] and (now - tonumber(state[1])) < interval * 1000 * (1 - tonumber(ARGV[4])) then
  slow = 1
  interval = math.min(interval + tonumber(ARGV[5]), tonumber(ARGV[6]))
end
redis.call('HSET', KEYS[1], 'l', now, 'i', interval)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return { slow, interval }
`;

/**
 * When each pending device code was last polled, and its current interval. This is
 * ephemeral by design: losing it (a restart) only forgives a fast poller once, so it is
 * kept in memory, or in Redis when REDIS_URL is set so instances share it, and never costs
 * a database write per poll. Nothing that decides who gets a token depends on it.
 */
@Injectable()
export class DevicePollTracker {
  private readonly logger = new Logger(DevicePollTracker.name);
  private readonly entries = new Map<string, PollEntry>();

  constructor(private readonly redis: RedisConnections) {}

  /** Records a poll of a pending code and says whether it came too soon. */
  async poll(
    codeHash: string,
    nowMs: number,
    baseIntervalSeconds: number,
    expiresAtMs: number,
  ): Promise<PollDecision> {
    const redis = this.redis.command;
    if (redis) {
      try {
        const [slow, interval] = (await redis.eval(
          POLL_SCRIPT,
          1,
          `pairgate:device-poll:${codeHash}`,
          nowMs,
          baseIntervalSeconds,
          Math.max(1000, expiresAtMs - nowMs + 60_000),
          POLL_JITTER,
          SLOW_DOWN_STEP_SECONDS,
          MAX_INTERVAL_SECONDS,
        )) as [number, number];
        return { slowDown: slow === 1, intervalSeconds: Number(interval) };
      } catch (err) {
        // Politeness bookkeeping must not stop a device from pairing: fall back to memory.
        this.logger.warn(`poll tracker store unavailable: ${(err as Error).message}`);
      }
    }
    return this.pollInMemory(codeHash, nowMs, baseIntervalSeconds, expiresAtMs);
  }

  /** Drops a finished code's history. */
  forget(codeHash: string): void {
    this.entries.delete(codeHash);
    this.redis.command?.del(`pairgate:device-poll:${codeHash}`).catch(() => undefined);
  }

  private pollInMemory(
    codeHash: string,
    nowMs: number,
    baseIntervalSeconds: number,
    expiresAtMs: number,
  ): PollDecision {
    const entry = this.entries.get(codeHash);
    const decision = decide(entry, nowMs, baseIntervalSeconds);
    if (entry) {
      entry.lastPollMs = nowMs;
      entry.intervalSeconds = decision.intervalSeconds;
    } else {
      if (this.entries.size >= MAX_ENTRIES) this.sweep(nowMs);
      this.entries.set(codeHash, {
        lastPollMs: nowMs,
        intervalSeconds: decision.intervalSeconds,
        expiresAtMs,
      });
    }
    return decision;
  }

  private sweep(nowMs: number): void {
    for (const [hash, entry] of this.entries) {
      if (entry.expiresAtMs <= nowMs) this.entries.delete(hash);
    }
    // Still full of live codes: drop the oldest tenth rather than grow without bound.
    let drop = this.entries.size >= MAX_ENTRIES ? MAX_ENTRIES / 10 : 0;
    for (const hash of this.entries.keys()) {
      if (drop-- <= 0) break;
      this.entries.delete(hash);
    }
  }
}

/** A poll sooner than the interval (less the jitter allowance) is slowed down. */
export function decide(
  previous: { lastPollMs: number; intervalSeconds: number } | undefined,
  nowMs: number,
  baseIntervalSeconds: number,
): PollDecision {
  const interval = previous?.intervalSeconds ?? baseIntervalSeconds;
  if (previous && nowMs - previous.lastPollMs < interval * 1000 * (1 - POLL_JITTER)) {
    return {
      slowDown: true,
      intervalSeconds: Math.min(interval + SLOW_DOWN_STEP_SECONDS, MAX_INTERVAL_SECONDS),
    };
  }
  return { slowDown: false, intervalSeconds: interval };
}
