import { TokenKindRegistry, type TokenKindHandler } from './token-kind.registry.js';

const kind = (
  letter: string,
  name: string,
  capabilities: TokenKindHandler['capabilities'] = {},
): TokenKindHandler => ({
  letter,
  kind: name,
  capabilities,
  resolve: async () => null,
  touch: async () => undefined,
  rehash: async () => undefined,
});

describe('TokenKindRegistry', () => {
  it('takes a kind a module defines, with what it declares it may do', () => {
    const kinds = new TokenKindRegistry();
    kinds.register(kind('k', 'kiosk', { queryString: true, singleScope: true }));
    expect(kinds.byLetter('k')?.kind).toBe('kiosk');
    expect(kinds.capabilitiesOf('kiosk')).toEqual({ queryString: true, singleScope: true });
    expect(kinds.capabilitiesOf('unknown')).toEqual({});
    const principal = { kind: 'kiosk' } as Parameters<TokenKindRegistry['isLoginSession']>[0];
    expect(kinds.isLoginSession(principal)).toBe(false);
  });

  it('refuses a letter or a name taken, an invalid letter, and x (client secrets)', () => {
    const kinds = new TokenKindRegistry();
    kinds.register(kind('s', 'session', { loginSession: true }));
    expect(() => kinds.register(kind('s', 'other'))).toThrow('pgs_ is already registered');
    expect(() => kinds.register(kind('t', 'session'))).toThrow('"session" is already registered');
    expect(() => kinds.register(kind('TT', 'bad'))).toThrow('a-z other than x');
    expect(() => kinds.register(kind('x', 'secret'))).toThrow('a-z other than x');
  });
});
