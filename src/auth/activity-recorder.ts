import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import type { Principal } from './principal.js';
import { TokenKindRegistry } from './token-kind.registry.js';

export const TOKEN_ACTIVITY_INTERVAL_MS = 60_000;
export const DEVICE_ACTIVITY_INTERVAL_MS = 5 * 60_000;
const MAX_MEMO = 100_000;

export type DeviceToucher = (deviceId: string, now: Date, threshold: Date) => Promise<void>;

/**
 * Records that a token (and its device) was used without a write per request. An in-process
 * memo skips most requests outright; the rest issue a conditional UPDATE that is a no-op if
 * another instance wrote recently. Writes are fire-and-forget: they never fail or delay the
 * request.
 */
@Injectable()
export class ActivityRecorder {
  private readonly logger = new Logger(ActivityRecorder.name);
  /** When this instance last wrote each token's and each device's activity, by id. */
  private readonly tokenWrites = new Map<string, number>();
  private readonly deviceWrites = new Map<string, number>();
  private readonly pending = new Set<Promise<void>>();
  private deviceToucher: DeviceToucher | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly kinds: TokenKindRegistry,
  ) {}

  /** The devices module plugs its `last_seen_at` update in here. */
  useDeviceToucher(toucher: DeviceToucher): void {
    this.deviceToucher = toucher;
  }

  record(principal: Principal, ip: string): void {
    const nowMs = this.clock.nowMs();
    if (due(this.tokenWrites, principal.tokenId, nowMs, TOKEN_ACTIVITY_INTERVAL_MS)) {
      const handler = this.kinds.byKind(principal.kind);
      if (handler) {
        this.fire(
          handler.touch(
            principal.tokenId,
            ip,
            new Date(nowMs),
            new Date(nowMs - TOKEN_ACTIVITY_INTERVAL_MS),
          ),
        );
      }
    }
    if (
      principal.deviceId &&
      this.deviceToucher &&
      due(this.deviceWrites, principal.deviceId, nowMs, DEVICE_ACTIVITY_INTERVAL_MS)
    ) {
      this.fire(
        this.deviceToucher(
          principal.deviceId,
          new Date(nowMs),
          new Date(nowMs - DEVICE_ACTIVITY_INTERVAL_MS),
        ),
      );
    }
  }

  /** Waits for the writes under way (shutdown, tests). */
  async flush(): Promise<void> {
    await Promise.all(this.pending);
  }

  private fire(write: Promise<void>): void {
    const tracked = write
      .catch((err: Error) => this.logger.warn(`activity write skipped: ${err.message}`))
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }
}

/** Whether `id`'s activity is due a write, noting it as written now if so. */
function due(memo: Map<string, number>, id: string, nowMs: number, intervalMs: number): boolean {
  const last = memo.get(id);
  if (last !== undefined && nowMs - last < intervalMs && nowMs >= last) return false;
  if (memo.size >= MAX_MEMO) memo.clear();
  memo.set(id, nowMs);
  return true;
}
