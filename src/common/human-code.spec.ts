import {
  formatHumanCode,
  generateHumanCode,
  normalizeHumanCode,
  HUMAN_CODE_ALPHABET,
} from './human-code.js';

describe('human codes (user codes, pairing codes)', () => {
  it('generates 8 characters from the consonant alphabet, all of them used', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = generateHumanCode();
      expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
      for (const c of code) seen.add(c);
    }
    expect(seen.size).toBe(HUMAN_CODE_ALPHABET.length);
  });

  it('accepts any case, with or without the dash', () => {
    expect(normalizeHumanCode('BCDF-GHJK')).toBe('BCDFGHJK');
    expect(normalizeHumanCode('bcdfghjk')).toBe('BCDFGHJK');
    expect(normalizeHumanCode(' bcdf-Ghjk ')).toBe('BCDFGHJK');
  });

  it('refuses codes that cannot have been issued', () => {
    for (const bad of ['BCDF-GHJ', 'BCDF-GHJKL', 'ABCD-EFGH', 'BCDF-GHJ1', '', 42, null]) {
      expect(normalizeHumanCode(bad)).toBeNull();
    }
  });

  it('formats as XXXX-XXXX', () => {
    expect(formatHumanCode('BCDFGHJK')).toBe('BCDF-GHJK');
  });
});
