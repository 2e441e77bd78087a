import { Injectable } from '@nestjs/common';
import type { Principal, TokenKind } from './principal.js';
import type { TokenKindLetter } from './token-codec.js';

export interface ResolvedToken {
  principal: Principal;
  /** When the token stops working by itself; bounds how long it may be cached. */
  expiresAt: Date | null;
}

/**
 * What a module that issues tokens plugs into the bearer guard. `resolve` turns a token
 * hash into a principal, or null when the token is unknown, revoked, expired or its user is
 * disabled. `touch` records use with a conditional UPDATE that is a no-op when the row was
 * written less than `threshold` ago.
 */
export interface TokenKindHandler {
  letter: TokenKindLetter;
  kind: TokenKind;
  resolve(hash: string, now: Date): Promise<ResolvedToken | null>;
  touch(tokenId: string, ip: string, now: Date, threshold: Date): Promise<void>;
  /** Moves the token's row to another hash (TOKEN_PEPPER rotation; see BearerStrategy). */
  rehash(tokenId: string, fromHash: string, toHash: string): Promise<void>;
  /**
   * Optional: called when `resolve` found nothing, with where the request came from, so a
   * kind can recognise a retired secret (reuse after rotation) and audit it. Only refused
   * requests pay for it; errors are swallowed.
   */
  rejected?(hash: string, now: Date, meta: TokenRequestMeta): Promise<void>;
}

export interface TokenRequestMeta {
  ip: string | null;
  userAgent: string | null;
}

@Injectable()
export class TokenKindRegistry {
  private readonly handlers = new Map<string, TokenKindHandler>();

  register(handler: TokenKindHandler): void {
    if (this.handlers.has(handler.letter)) {
      throw new Error(`Token kind pg${handler.letter}_ is already registered`);
    }
    this.handlers.set(handler.letter, handler);
  }

  byLetter(letter: string): TokenKindHandler | undefined {
    return this.handlers.get(letter);
  }

  byKind(kind: TokenKind): TokenKindHandler | undefined {
    return [...this.handlers.values()].find((h) => h.kind === kind);
  }
}
