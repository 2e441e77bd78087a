import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { Inject, Injectable } from '@nestjs/common';
import { pooledRandomBytes } from '../common/random-pool.js';
import { appConfig, type AppConfig } from '../config/app.config.js';

/**
 * The one lower-case letter after `pg` that names what a secret is. Token kinds register
 * theirs with TokenKindRegistry (`s` login session, `c` client token, `l` long-lived
 * token); `x` marks an OAuth client secret, which has the same shape (so secret scanners
 * find it) but is never a bearer token.
 */
export type TokenKindLetter = string;
const LETTER = /^[a-z]$/;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const TOKEN_PATTERN = /^pg([a-z])_([0-9A-Za-z]{38})$/;
export const PREFIX_LENGTH = 8;

export interface IssuedToken {
  /** Returned to the caller exactly once; never stored or logged. */
  raw: string;
  /** HMAC-SHA256(TOKEN_PEPPER, raw), hex: what the database keeps. */
  hash: string;
  /** The first characters after the kind, kept for display. */
  prefix: string;
}

export function base62(bytes: Buffer, length: number): string {
  // Rejection sampling keeps every character uniform: 62 * 4 = 248 of 256 byte values.
  let out = '';
  let pool = bytes;
  let i = 0;
  while (out.length < length) {
    if (i >= pool.length) {
      pool = pooledRandomBytes(length * 2);
      i = 0;
    }
    const b = pool[i++];
    if (b < 248) out += ALPHABET[b % 62];
  }
  return out;
}

export function encodeChecksum(value: number): string {
  let n = value >>> 0;
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

export function checksumOf(body: string): string {
  return encodeChecksum(crc32(body));
}

/**
 * The one shape of every secret pairgate issues:
 * `pg<k>_<32 base62 random chars><6 base62 chars of CRC32 of the part before>`.
 * The prefix routes a token to its kind without a query; the checksum turns away typos and
 * random strings before any database work.
 */
@Injectable()
export class TokenCodec {
  // Key objects: every request hashes its token, and a string key is imported each time.
  private readonly pepper: KeyObject;
  private readonly previousPepper: KeyObject | undefined;

  constructor(@Inject(appConfig.KEY) config: AppConfig) {
    this.pepper = createSecretKey(Buffer.from(config.secrets.tokenPepper, 'utf8'));
    const previous = config.secrets.previousTokenPepper;
    this.previousPepper = previous ? createSecretKey(Buffer.from(previous, 'utf8')) : undefined;
  }

  issue(kind: TokenKindLetter): IssuedToken {
    if (!LETTER.test(kind)) throw new Error(`A token kind letter is one of a-z, not "${kind}"`);
    const secret = base62(pooledRandomBytes(SECRET_LENGTH * 2), SECRET_LENGTH);
    const body = `pg${kind}_${secret}`;
    const raw = body + checksumOf(body);
    return { raw, hash: this.hash(raw), prefix: secret.slice(0, PREFIX_LENGTH) };
  }

  /** The kind letter of a well-formed token with a valid checksum, or null. */
  kindOf(raw: string): string | null {
    const match = TOKEN_PATTERN.exec(raw);
    if (!match) return null;
    const body = raw.slice(0, raw.length - CHECKSUM_LENGTH);
    return checksumOf(body) === raw.slice(-CHECKSUM_LENGTH) ? match[1] : null;
  }

  hash(raw: string): string {
    return createHmac('sha256', this.pepper).update(raw).digest('hex');
  }

  /** The hash under TOKEN_PEPPER_PREVIOUS, while a pepper rotation is under way; else null. */
  previousHash(raw: string): string | null {
    return this.previousPepper
      ? createHmac('sha256', this.previousPepper).update(raw).digest('hex')
      : null;
  }
}
