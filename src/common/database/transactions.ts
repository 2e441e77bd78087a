import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * Runs a unit of work in one transaction: a state change and its audit event commit
 * together or not at all. SQLite has a single writer, so its transactions are queued here
 * instead of failing with SQLITE_BUSY or nesting on the shared connection.
 */
@Injectable()
export class Transactions {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly serialize: boolean;
  /** What to do once a running transaction has committed, by its manager. */
  private readonly afterCommit = new WeakMap<EntityManager, Array<() => Promise<void>>>();
  private readonly afterRollback = new WeakMap<EntityManager, Array<() => void>>();

  constructor(private readonly dataSource: DataSource) {
    this.serialize = dataSource.options.type === 'better-sqlite3';
  }

  /**
   * Resolves after the transaction has committed and every `onCommit` step of it has run:
   * the caller (and so the HTTP answer) comes after them.
   */
  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    let steps: Array<() => Promise<void>> = [];
    let undo: Array<() => void> = [];
    const transaction = async () => {
      try {
        return await this.dataSource.transaction((manager) => {
          steps = [];
          undo = [];
          this.afterCommit.set(manager, steps);
          this.afterRollback.set(manager, undo);
          return work(manager);
        });
      } catch (err) {
        // Before the next queued transaction (SQLite) starts.
        for (const step of undo) step();
        throw err;
      }
    };
    let result: T;
    if (this.serialize) {
      const next = this.queue.then(transaction);
      this.queue = next.catch(() => undefined);
      result = await next;
    } else {
      result = await transaction();
    }
    for (const step of steps) await step();
    return result;
  }

  /**
   * Runs `step` right after the transaction of `manager` has rolled back (or failed to
   * commit), to forget what was kept in memory about its writes. A manager outside `run`
   * cannot be followed: this throws.
   */
  onRollback(manager: EntityManager, step: () => void): void {
    const steps = this.afterRollback.get(manager);
    if (!steps) throw new Error('onRollback needs a transaction of Transactions.run');
    steps.push(step);
  }

  /**
   * Runs `step` once the transaction of `manager` has committed (never if it rolls back),
   * before `run` returns. A manager outside `run` has nothing to wait for: the step runs
   * now, in the background. Steps report their own errors; they never fail the change.
   */
  onCommit(manager: EntityManager, step: () => Promise<void>): void {
    const steps = this.afterCommit.get(manager);
    if (steps) {
      if (!steps.includes(step)) steps.push(step);
    } else {
      void step();
    }
  }
}
