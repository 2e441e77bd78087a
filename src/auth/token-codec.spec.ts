import type { AppConfig } from '../config/app.config.js';
import { checksumOf, TokenCodec } from './token-codec.js';

const codec = new TokenCodec({ secrets: { tokenPepper: 'p'.repeat(32) } } as AppConfig);

describe('TokenCodec', () => {
  it('issues pg<k>_ + 32 base62 chars + a 6-char checksum', () => {
    for (const kind of ['s', 'c', 'l'] as const) {
      const { raw, prefix } = codec.issue(kind);
      expect(raw).toMatch(new RegExp(`^pg${kind}_[0-9A-Za-z]{38}$`));
      expect(raw.slice(4, 12)).toBe(prefix);
      expect(codec.kindOf(raw)).toBe(kind);
    }
  });

  it('never issues the same secret twice', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => codec.issue('c').raw));
    expect(seen.size).toBe(2000);
  });

  it('rejects a token with one character changed, before any lookup', () => {
    const { raw } = codec.issue('c');
    const i = 10;
    const typo = raw.slice(0, i) + (raw[i] === 'a' ? 'b' : 'a') + raw.slice(i + 1);
    expect(codec.kindOf(typo)).toBeNull();
  });

  it('rejects random strings, wrong lengths and wrong prefixes', () => {
    const { raw } = codec.issue('s');
    expect(codec.kindOf('')).toBeNull();
    expect(codec.kindOf('hello')).toBeNull();
    expect(codec.kindOf(raw.slice(0, -1))).toBeNull();
    expect(codec.kindOf(`${raw}x`)).toBeNull();
    expect(codec.kindOf(raw.replace('pgs_', 'ghp_'))).toBeNull();
    expect(codec.kindOf(raw.replace('pgs_', 'pgc_'))).toBeNull(); // the checksum covers the kind
  });

  it('hashes with the pepper: same token same hash, other pepper other hash', () => {
    const { raw, hash } = codec.issue('c');
    expect(codec.hash(raw)).toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const other = new TokenCodec({ secrets: { tokenPepper: 'q'.repeat(32) } } as AppConfig);
    expect(other.hash(raw)).not.toBe(hash);
  });

  it('encodes the CRC32 checksum as 6 base62 characters', () => {
    expect(checksumOf('pgc_abc')).toMatch(/^[0-9A-Za-z]{6}$/);
    expect(checksumOf('pgc_abc')).toBe(checksumOf('pgc_abc'));
  });
});
