import { pooledRandomBytes } from './random-pool.js';

/**
 * The short codes people type: device-flow user codes and client-token pairing codes.
 * RFC 8628 §6.1: 20 consonants, no vowels (no words) and none of the letters people
 * confuse. 8 characters give 20^8 = 2.56e10 codes, 34.6 bits; each use adds its own short
 * lifetime and attempt limits.
 */
export const HUMAN_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const HUMAN_CODE_LENGTH = 8;
const ALPHABET_SET = new Set(HUMAN_CODE_ALPHABET);

/** A fresh code, normalized (no dash). Rejection sampling keeps every letter uniform. */
export function generateHumanCode(): string {
  const limit = 256 - (256 % HUMAN_CODE_ALPHABET.length);
  let out = '';
  while (out.length < HUMAN_CODE_LENGTH) {
    for (const byte of pooledRandomBytes(HUMAN_CODE_LENGTH * 2)) {
      if (byte >= limit) continue;
      out += HUMAN_CODE_ALPHABET[byte % HUMAN_CODE_ALPHABET.length];
      if (out.length === HUMAN_CODE_LENGTH) break;
    }
  }
  return out;
}

/**
 * What a person typed, in any case, with or without the dash (and with stray spaces), as the
 * stored form; null when it cannot be a code we issued.
 */
export function normalizeHumanCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 32) return null;
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== HUMAN_CODE_LENGTH) return null;
  for (const char of code) if (!ALPHABET_SET.has(char)) return null;
  return code;
}

/** `XXXX-XXXX`, as shown to people. */
export function formatHumanCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
