import { MemoryThrottlerStorage } from './memory-throttler.storage.js';

describe('MemoryThrottlerStorage', () => {
  it('counts every hit in a fixed window that the first hit opens', async () => {
    let now = 1_000_000;
    const storage = new MemoryThrottlerStorage(() => now);
    for (let i = 1; i <= 3; i++) {
      const record = await storage.increment('1.2.3.4', 60_000, 2, 60_000, 'login.ip');
      expect(record.totalHits).toBe(i);
      expect(record.isBlocked).toBe(i > 2);
    }
    now += 30_500;
    const later = await storage.increment('1.2.3.4', 60_000, 2, 60_000, 'login.ip');
    expect(later).toMatchObject({ totalHits: 4, isBlocked: true, timeToExpire: 30 });
    expect(later.timeToBlockExpire).toBe(30);
    now += 30_000;
    expect((await storage.increment('1.2.3.4', 60_000, 2, 60_000, 'login.ip')).totalHits).toBe(1);
  });

  it('keeps names and keys apart', async () => {
    const storage = new MemoryThrottlerStorage();
    await storage.increment('k', 60_000, 1, 60_000, 'a');
    expect((await storage.increment('k', 60_000, 1, 60_000, 'b')).totalHits).toBe(1);
    expect((await storage.increment('other', 60_000, 1, 60_000, 'a')).totalHits).toBe(1);
  });

  it('stays fast with a huge limit', async () => {
    const storage = new MemoryThrottlerStorage();
    const started = performance.now();
    for (let i = 0; i < 200_000; i++) await storage.increment('ip', 60_000, 1e9, 60_000, 'x');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
