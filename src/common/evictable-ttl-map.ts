/**
 * The in-memory half of every cache that other instances can evict (PrincipalCache,
 * PendingPollCache): entries that expire by themselves, a size bound, and an epoch that
 * every eviction bumps, so a database read that raced an eviction is not cached with the
 * state it read before the change. The caller carries evictions between instances over the
 * EvictionBus.
 */
export class EvictableTtlMap<V> {
  private readonly entries = new Map<string, { value: V; validUntilMs: number }>();
  private currentEpoch = 0;

  constructor(private readonly maxEntries: number) {}

  get(key: string, nowMs: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.validUntilMs <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Read before querying; pass to `set` so a read that raced an eviction is dropped. */
  epoch(): number {
    return this.currentEpoch;
  }

  set(key: string, value: V, validUntilMs: number, epochAtStart: number): void {
    if (epochAtStart !== this.currentEpoch) return;
    if (this.entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest tenth.
      let drop = Math.max(1, Math.floor(this.maxEntries / 10));
      for (const key of this.entries.keys()) {
        this.entries.delete(key);
        if (--drop <= 0) break;
      }
    }
    this.entries.set(key, { value, validUntilMs });
  }

  /** An eviction: the key goes, and reads under way when it happened are not cached. */
  delete(key: string): void {
    this.currentEpoch++;
    this.entries.delete(key);
  }

  /** An eviction of every entry the predicate picks (nothing: just the epoch moves on). */
  deleteWhere(picked: (value: V) => boolean): void {
    this.currentEpoch++;
    for (const [key, entry] of this.entries) if (picked(entry.value)) this.entries.delete(key);
  }

  clear(): void {
    this.currentEpoch++;
    this.entries.clear();
  }
}
