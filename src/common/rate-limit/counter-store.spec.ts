import { MemoryCounterStore } from './counter-store.js';

describe('MemoryCounterStore', () => {
  it('counts every hit in a fixed window that the first hit opens', async () => {
    let now = 1_000_000;
    const store = new MemoryCounterStore(() => now);
    for (let i = 1; i <= 3; i++) {
      expect(await store.increment('login.ip', '1.2.3.4', 60_000)).toEqual({
        hits: i,
        msLeft: 60_000,
      });
    }
    now += 30_500;
    expect(await store.increment('login.ip', '1.2.3.4', 60_000)).toEqual({
      hits: 4,
      msLeft: 29_500,
    });
    expect(await store.peek('login.ip', '1.2.3.4')).toEqual({ hits: 4, msLeft: 29_500 });
    now += 30_000;
    expect(await store.peek('login.ip', '1.2.3.4')).toEqual({ hits: 0, msLeft: 0 });
    expect((await store.increment('login.ip', '1.2.3.4', 60_000)).hits).toBe(1);
  });

  it('keeps names and keys apart', async () => {
    const store = new MemoryCounterStore();
    await store.increment('a', 'k', 60_000);
    expect((await store.increment('b', 'k', 60_000)).hits).toBe(1);
    expect((await store.increment('a', 'other', 60_000)).hits).toBe(1);
    expect((await store.peek('a', 'k')).hits).toBe(1);
  });
});
