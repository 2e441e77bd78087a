import { randomBytes, randomFillSync } from 'node:crypto';

/** One `getrandom` call fills this many bytes, enough for about a hundred codes. */
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * Cryptographically random bytes from a buffered pool, as node:crypto's `randomUUID` draws
 * its UUIDs: one system call per 4 KiB instead of one per code (a synchronous `randomBytes`
 * was 4 % of a device authorization's CPU time). Each byte is handed out once, copied out
 * of the pool.
 */
export function pooledRandomBytes(size: number): Buffer {
  if (size > POOL_SIZE / 4) return randomBytes(size);
  if (offset + size > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_SIZE));
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  pool.fill(0, offset, offset + size);
  offset += size;
  return bytes;
}
