import { isUUID } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { newRowId } from './row-id.js';

describe('newRowId', () => {
  it('is a version 7 UUID that the id validators accept', () => {
    const id = newRowId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(isUUID(id, 'all')).toBe(true);
  });

  it('carries its creation time, so later rows sort after earlier ones', () => {
    const at = Date.UTC(2026, 10, 30, 10, 0, 0, 123);
    const id = newRowId(at);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    const later = [newRowId(at + 1), newRowId(at + 1000), newRowId(at + 86_400_000)];
    expect([...later, id].sort()).toEqual([id, ...later]);
  });

  it('differs in its random part within one millisecond', () => {
    const at = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => newRowId(at)));
    expect(ids.size).toBe(10_000);
  });
});
