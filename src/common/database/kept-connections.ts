import type { EventEmitter } from 'node:events';
import type { DataSource, QueryRunner } from 'typeorm';

/** At most this many kept at once: the group commits' batches in flight (two each). */
const MAX_KEPT = 4;
/** mysql2's pool size when `connectionLimit` is not set. */
const MYSQL2_POOL_DEFAULT = 10;
/** A kept connection unused this long goes back to the pool, autocommit on again. */
const IDLE_MS = 30_000;

interface Kept {
  runner: QueryRunner;
  alive: boolean;
  idleTimer?: NodeJS.Timeout;
  /** Marks it dead when its connection ends; removed when the connection goes back. */
  died: () => void;
}

/**
 * MariaDB/MySQL connections taken out of the pool and kept with autocommit off, for the
 * group commits' batches: on such a connection a transaction opens with its first statement
 * and ends with COMMIT or ROLLBACK, so a batch needs no `START TRANSACTION` round trip
 * (under load each round trip waits for a core, for MariaDB's thread and for Node's event
 * loop: one of a batch's five was a fifth of its time). Between batches a kept connection has
 * no transaction open. Taken on demand, at most `MAX_KEPT` and a quarter of the pool (none
 * from a pool of three or fewer: the rest of the service must never wait for a connection
 * the group commits hold idle); one unused for `IDLE_MS` goes back to the pool with
 * autocommit on, and one the server closed (a restart, wait_timeout) is dropped, so none is
 * ever handed out dead.
 */
export class KeptConnections {
  private readonly idle: Kept[] = [];
  private readonly byRunner = new WeakMap<QueryRunner, Kept>();
  private count = 0;
  private closed = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly idleMs = IDLE_MS,
    private readonly max = keptFor(dataSource),
  ) {}

  /** A kept connection with no transaction open, or null when `max` are in use. */
  async take(): Promise<QueryRunner | null> {
    for (let kept = this.idle.pop(); kept; kept = this.idle.pop()) {
      clearTimeout(kept.idleTimer);
      if (kept.alive) return kept.runner;
      this.drop(kept);
    }
    if (this.closed || this.count >= this.max) return null;
    const kept: Kept = {
      runner: this.dataSource.createQueryRunner('master'),
      alive: true,
      died: () => {
        kept.alive = false;
      },
    };
    this.count++;
    this.byRunner.set(kept.runner, kept);
    try {
      await kept.runner.query('SET autocommit = 0');
    } catch (err) {
      this.drop(kept);
      throw err;
    }
    connectionOf(kept.runner)?.once('end', kept.died).once('error', kept.died);
    return kept.runner;
  }

  /** Back after its transaction committed or rolled back. */
  give(runner: QueryRunner): void {
    const kept = this.byRunner.get(runner);
    if (!kept) return;
    if (!kept.alive || this.closed) {
      void this.toPool(kept);
      return;
    }
    kept.idleTimer = setTimeout(() => {
      const at = this.idle.indexOf(kept);
      if (at >= 0) this.idle.splice(at, 1);
      void this.toPool(kept);
    }, this.idleMs).unref();
    this.idle.push(kept);
  }

  /** After a failure that may have left a transaction open: closed, never reused. */
  discard(runner: QueryRunner): void {
    const kept = this.byRunner.get(runner);
    if (kept) this.drop(kept);
  }

  /** Every idle one back to the pool; those in use follow when they are given back. */
  async close(): Promise<void> {
    this.closed = true;
    const idle = this.idle.splice(0);
    for (const kept of idle) clearTimeout(kept.idleTimer);
    await Promise.all(idle.map((kept) => this.toPool(kept)));
  }

  /** How many are taken out of the pool now (for tests). */
  get size(): number {
    return this.count;
  }

  private async toPool(kept: Kept): Promise<void> {
    if (!kept.alive) {
      this.drop(kept);
      return;
    }
    try {
      await kept.runner.query('SET autocommit = 1');
    } catch {
      this.drop(kept);
      return;
    }
    if (!this.byRunner.delete(kept.runner)) return;
    this.count--;
    // The pool may hand this connection out again, and keep it again later: no listener
    // of this round stays on it.
    connectionOf(kept.runner)?.off('end', kept.died).off('error', kept.died);
    await kept.runner.release();
  }

  /** Closes the connection (the pool opens a new one when it needs it). Once per connection. */
  private drop(kept: Kept): void {
    if (!this.byRunner.delete(kept.runner)) return;
    this.count--;
    kept.alive = false;
    connectionOf(kept.runner)?.destroy();
    void kept.runner.release();
  }
}

/** The mysql2 connection under TypeORM's runner, once it has one. */
function connectionOf(runner: QueryRunner): (EventEmitter & { destroy(): void }) | undefined {
  return (runner as QueryRunner & { databaseConnection?: EventEmitter & { destroy(): void } })
    .databaseConnection;
}

/** `MAX_KEPT`, or a quarter of a smaller pool. */
function keptFor(dataSource: DataSource): number {
  const extra = (dataSource.options as { extra?: { connectionLimit?: number } }).extra;
  const pool = Number(extra?.connectionLimit ?? MYSQL2_POOL_DEFAULT);
  return Math.min(MAX_KEPT, Math.floor(pool / 4));
}
