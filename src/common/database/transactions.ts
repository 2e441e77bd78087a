import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { KeptConnections } from './kept-connections.js';

interface Steps {
  /** After the commit, before the caller's `run` returns. */
  steps: Array<() => Promise<void>>;
  /** After a rollback. */
  undo: Array<() => void>;
}

/** Before a transaction has started: nothing to run. */
const NO_STEPS: Steps = { steps: [], undo: [] };

/**
 * Runs a unit of work in one transaction: a state change and its audit event commit
 * together or not at all. SQLite has a single writer, so its transactions are queued here
 * instead of failing with SQLITE_BUSY or nesting on the shared connection.
 */
@Injectable()
export class Transactions implements BeforeApplicationShutdown {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly serialize: boolean;
  /** MariaDB/MySQL: connections kept with autocommit off, for `runBatch`. */
  private readonly kept: KeptConnections | null;
  /** What to do once a running transaction has committed, by its manager. */
  private readonly afterCommit = new WeakMap<EntityManager, Array<() => Promise<void>>>();
  private readonly afterRollback = new WeakMap<EntityManager, Array<() => void>>();

  constructor(private readonly dataSource: DataSource) {
    this.serialize = dataSource.options.type === 'better-sqlite3';
    this.kept =
      dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb'
        ? new KeptConnections(dataSource)
        : null;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.kept?.close();
  }

  /**
   * Resolves after the transaction has committed and every `onCommit` step of it has run:
   * the caller (and so the HTTP answer) comes after them.
   */
  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    let { steps, undo } = NO_STEPS;
    const transaction = async () => {
      try {
        return await this.dataSource.transaction((manager) => {
          ({ steps, undo } = this.track(manager));
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
   * `run` for a group commit's batch (see GroupCommit), one round trip shorter on
   * MariaDB/MySQL: on a connection kept with autocommit off (KeptConnections), the first
   * statement opens the transaction, so there is no `START TRANSACTION`. Same guarantees as
   * `run`: everything `work` writes commits together or not at all, and the `onCommit` steps
   * run before it returns. When every kept connection is in use, or on SQLite, it is `run`.
   */
  async runBatch<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = await this.kept?.take();
    if (!runner) return this.run(work);
    const { steps, undo } = this.track(runner.manager);
    let result: T;
    try {
      openedByFirstStatement(runner);
      result = await work(runner.manager);
      await runner.commitTransaction();
    } catch (err) {
      try {
        await runner.rollbackTransaction();
        this.kept!.give(runner);
      } catch {
        this.kept!.discard(runner);
      }
      for (const step of undo) step();
      throw err;
    }
    this.kept!.give(runner);
    for (const step of steps) await step();
    return result;
  }

  /** Where the `onCommit` and `onRollback` steps of the transaction of `manager` go. */
  private track(manager: EntityManager): Steps {
    const steps: Steps = { steps: [], undo: [] };
    this.afterCommit.set(manager, steps.steps);
    this.afterRollback.set(manager, steps.undo);
    return steps;
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

/**
 * What TypeORM's `startTransaction` records on its runner, without sending START
 * TRANSACTION: with autocommit off the first statement opens the transaction. Its
 * `commitTransaction` and `rollbackTransaction` then end it as usual.
 */
function openedByFirstStatement(runner: QueryRunner): void {
  Object.assign(runner, { isTransactionActive: true, transactionDepth: 1 });
}
