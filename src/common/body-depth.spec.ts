import { nestsDeeperThan } from './body-depth.js';

describe('nestsDeeperThan', () => {
  const arrays = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));

  it('counts arrays and objects as levels, scalars as none', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan({ a: 1 }, 1)).toBe(false);
    expect(nestsDeeperThan({ a: { b: 1 } }, 1)).toBe(true);
    expect(nestsDeeperThan(arrays(32), 32)).toBe(false);
    expect(nestsDeeperThan(arrays(33), 32)).toBe(true);
  });

  it('handles nesting far past the stack a recursive walk would need', () => {
    expect(nestsDeeperThan(arrays(100_000), 32)).toBe(true);
  });
});
