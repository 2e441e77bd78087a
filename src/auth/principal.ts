export type UserRole = 'admin' | 'user';
/**
 * A token kind's name, as its module registers it (`session`, `client`, `long_lived`, or a
 * module's own): open, so a module adds a kind without touching core.
 */
export type TokenKind = string;

export interface PrincipalUser {
  id: string;
  username: string;
  email: string | null;
  role: UserRole;
}

/** Who is calling: resolved once per request by the bearer guard. */
export interface Principal {
  user: PrincipalUser;
  kind: TokenKind;
  tokenId: string;
  /** Effective scopes: the token's scopes that the user may hold right now. */
  scopes: string[];
  /** The device the token is bound to, so a device never sends its own id. */
  deviceId: string | null;
}
