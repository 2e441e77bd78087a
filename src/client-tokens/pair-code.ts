import { randomBytes } from 'node:crypto';

/**
 * The alphabet of device-flow user codes (RFC 8628 §6.1): 20 consonants, no vowels (no
 * words), none of the letters people confuse. 8 characters: 20^8 = 2.56e10 codes, which a
 * 60-second lifetime and 5 tries a minute per IP put out of reach of guessing.
 */
export const PAIR_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const PAIR_CODE_LENGTH = 8;
const ALPHABET_SET = new Set(PAIR_CODE_ALPHABET);

/** A fresh code, normalized (no dash). Rejection sampling keeps every letter uniform. */
export function generatePairCode(): string {
  const limit = 256 - (256 % PAIR_CODE_ALPHABET.length);
  let out = '';
  while (out.length < PAIR_CODE_LENGTH) {
    for (const byte of randomBytes(PAIR_CODE_LENGTH * 2)) {
      if (byte >= limit) continue;
      out += PAIR_CODE_ALPHABET[byte % PAIR_CODE_ALPHABET.length];
      if (out.length === PAIR_CODE_LENGTH) break;
    }
  }
  return out;
}

/** What a person typed, in any case, with or without the dash; null if it cannot be a code. */
export function normalizePairCode(input: string): string | null {
  if (input.length > 32) return null;
  const code = input.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== PAIR_CODE_LENGTH) return null;
  for (const char of code) if (!ALPHABET_SET.has(char)) return null;
  return code;
}

/** `XXXX-XXXX`, as shown to people. */
export function formatPairCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
