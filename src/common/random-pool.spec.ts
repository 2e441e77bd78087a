import { describe, expect, it } from 'vitest';
import { pooledRandomBytes } from './random-pool.js';

describe('pooledRandomBytes', () => {
  it('hands out fresh bytes of the asked size, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const bytes = pooledRandomBytes(32);
      expect(bytes).toHaveLength(32);
      seen.add(bytes.toString('hex'));
    }
    expect(seen.size).toBe(1000);
  });

  it('gives each caller its own copy, not a view of the pool', () => {
    const a = pooledRandomBytes(16);
    const copy = Buffer.from(a);
    pooledRandomBytes(16);
    expect(a.equals(copy)).toBe(true);
    // The pool wipes what it hands out: a view of it would read as zeros.
    expect(a.some((byte) => byte !== 0)).toBe(true);
  });

  it('draws large requests directly', () => {
    expect(pooledRandomBytes(5000)).toHaveLength(5000);
  });
});
