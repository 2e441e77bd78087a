import {
  formatPairCode,
  generatePairCode,
  normalizePairCode,
  PAIR_CODE_ALPHABET,
} from './pair-code.js';

describe('pair codes', () => {
  it('are 8 letters of the device-code alphabet, with every letter in use', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const code = generatePairCode();
      expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
      for (const c of code) seen.add(c);
    }
    expect(seen.size).toBe(PAIR_CODE_ALPHABET.length);
  });

  it('normalize what people type: any case, dash and spaces optional', () => {
    expect(normalizePairCode('bcdf-ghjk')).toBe('BCDFGHJK');
    expect(normalizePairCode(' BCDF GHJK ')).toBe('BCDFGHJK');
    expect(normalizePairCode('BCDFGHJK')).toBe('BCDFGHJK');
  });

  it('turn away what cannot be a code', () => {
    for (const input of ['', 'BCDFGHJ', 'BCDFGHJKL', 'ABCD-EFGH', '1234-5678', 'B'.repeat(40)]) {
      expect(normalizePairCode(input)).toBeNull();
    }
  });

  it('are shown as XXXX-XXXX', () => {
    expect(formatPairCode('BCDFGHJK')).toBe('BCDF-GHJK');
  });
});
