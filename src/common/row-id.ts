import { pooledRandomBytes } from './random-pool.js';

/**
 * A new row's primary key: a UUID version 7 (RFC 9562 §5.7), the creation time in
 * milliseconds in its first 48 bits and 74 random bits after it.
 *
 * Random (version 4) keys land anywhere in the clustered index InnoDB stores each table in,
 * so once a table outgrows the buffer pool every insert reads and dirties a random page.
 * Keys in creation order append to the index's right edge instead: with a million stored
 * device authorizations and MariaDB's default 128 MiB pool, the insert kept 82-93 % of its
 * empty-table rate instead of 54-57 % (docs/PERFORMANCE.md, "Stored rows and key order").
 * The random part keeps them unguessable; the time part says when the row was made, which
 * every API that returns an id also returns as `created_at`.
 */
export function newRowId(now = Date.now()): string {
  const bytes = pooledRandomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (bytes[6] & 0x0f);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
