import type { EntityManager } from 'typeorm';
import type { Transactions } from './transactions.js';

interface Queued<T> {
  item: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Bounds one batch's statement size and the wait of its last item. */
const MAX_BATCH = 64;
/**
 * Batches being written at once: the next one's statements overlap the current commit.
 * (Four measured the same as two on the device authorization.)
 */
const MAX_IN_FLIGHT = 2;

/**
 * A group commit: items submitted while a batch is being written go together in the next
 * one, so under load many writes share one transaction (`Transactions.runBatch`: one
 * multi-row insert per table, one `COMMIT` and its fsync) instead of each paying for its
 * own. Each item still commits with everything its batch writes for it (its row and its
 * audit event), or not at all. At low load a batch holds one item and adds no delay. When a
 * batch fails (a unique key one item broke), its items are written again one by one, so
 * only that item fails.
 */
export class GroupCommit<T> {
  private queue: Array<Queued<T>> = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly transactions: Transactions,
    /** Writes a batch inside its transaction. */
    private readonly writeBatch: (manager: EntityManager, items: T[]) => Promise<void>,
  ) {}

  /** Resolves once the item's batch has committed (and `Transactions.run` has returned). */
  submit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // Let the requests already parsed in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        this.inFlight++;
        void this.write(batch).finally(() => {
          this.inFlight--;
          if (this.queue.length > 0) this.schedule();
        });
      }
    });
  }

  private async write(batch: Array<Queued<T>>): Promise<void> {
    try {
      await this.transactions.runBatch((manager) =>
        this.writeBatch(
          manager,
          batch.map((queued) => queued.item),
        ),
      );
      for (const queued of batch) queued.resolve();
    } catch (err) {
      if (batch.length === 1) {
        batch[0].reject(err);
        return;
      }
      for (const queued of batch) await this.write([queued]);
    }
  }
}
