import {
  formatUserCode,
  generateUserCode,
  normalizeUserCode,
  USER_CODE_ALPHABET,
} from './user-code.js';

describe('user codes', () => {
  it('generates 8 characters from the consonant alphabet, all of them used', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = generateUserCode();
      expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
      for (const c of code) seen.add(c);
    }
    expect(seen.size).toBe(USER_CODE_ALPHABET.length);
  });

  it('accepts any case, with or without the dash', () => {
    expect(normalizeUserCode('BCDF-GHJK')).toBe('BCDFGHJK');
    expect(normalizeUserCode('bcdfghjk')).toBe('BCDFGHJK');
    expect(normalizeUserCode(' bcdf-Ghjk ')).toBe('BCDFGHJK');
  });

  it('refuses codes that cannot have been issued', () => {
    for (const bad of ['BCDF-GHJ', 'BCDF-GHJKL', 'ABCD-EFGH', 'BCDF-GHJ1', '', 42, null]) {
      expect(normalizeUserCode(bad)).toBeNull();
    }
  });

  it('formats as XXXX-XXXX', () => {
    expect(formatUserCode('BCDFGHJK')).toBe('BCDF-GHJK');
  });
});
