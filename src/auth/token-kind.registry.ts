import type { EntityManager } from 'typeorm';
import { Injectable } from '@nestjs/common';
import type { Principal, TokenKind } from './principal.js';
import type { RequestMeta } from '../common/request-meta.js';
import type { TokenKindLetter } from './token-codec.js';

export interface ResolvedToken {
  principal: Principal;
  /** When the token stops working by itself; bounds how long it may be cached. */
  expiresAt: Date | null;
  /** When it was issued (introspection's `iat`). */
  issuedAt: Date;
}

/** What the bearer guard lets a kind do, declared when the kind registers. */
export interface TokenKindCapabilities {
  /**
   * It is a person's login session: routes marked `@Authenticated({ session: true })` (those
   * that create or widen a credential) accept only such kinds.
   */
  loginSession?: boolean;
  /**
   * It may come as `?access_token=` on routes that opt in with `allowQueryToken` (an
   * `<img src>` cannot send headers).
   */
  queryString?: boolean;
  /**
   * It holds one read-only scope and works only on routes that require that scope, whatever
   * else they ask for.
   */
  singleScope?: boolean;
}

/**
 * What a module that issues tokens plugs into the bearer guard. `resolve` turns a token
 * hash into a principal, or null when the token is unknown, revoked, expired or its user is
 * disabled. `touch` records use with a conditional UPDATE that is a no-op when the row was
 * written less than `threshold` ago.
 */
export interface TokenKindHandler {
  /** The letter after `pg` in its tokens, unique among kinds (TokenCodec). */
  letter: TokenKindLetter;
  kind: TokenKind;
  capabilities: TokenKindCapabilities;
  resolve(hash: string, now: Date): Promise<ResolvedToken | null>;
  touch(tokenId: string, ip: string, now: Date, threshold: Date): Promise<void>;
  /**
   * Optional: revokes one token inside the caller's transaction (a leaked-token report);
   * returns whether this call revoked it. The caller evicts the principal after its commit.
   */
  revoke?(manager: EntityManager, tokenId: string, now: Date): Promise<boolean>;
  /** Moves the token's row to another hash (TOKEN_PEPPER rotation; see BearerStrategy). */
  rehash(tokenId: string, fromHash: string, toHash: string): Promise<void>;
  /**
   * Optional: called when `resolve` found nothing, with where the request came from, so a
   * kind can recognise a retired secret (reuse after rotation) and audit it. Only refused
   * requests pay for it; errors are swallowed.
   */
  rejected?(hash: string, now: Date, meta: RequestMeta): Promise<void>;
  /** Optional: how many of its tokens are neither revoked nor expired (the admin dashboard). */
  countActive?(now: Date): Promise<number>;
}

const NONE: TokenKindCapabilities = {};

/**
 * The token kinds modules registered: the strategy routes a token to its kind by letter,
 * the guard asks a principal's kind what it may do, the activity recorder touches its row.
 */
@Injectable()
export class TokenKindRegistry {
  private readonly byLetters = new Map<string, TokenKindHandler>();
  private readonly byKinds = new Map<string, TokenKindHandler>();

  register(handler: TokenKindHandler): void {
    if (!/^[a-z]$/.test(handler.letter) || handler.letter === 'x') {
      throw new Error(`Token kind "${handler.kind}": the letter must be a-z other than x`);
    }
    if (this.byLetters.has(handler.letter)) {
      throw new Error(`Token kind pg${handler.letter}_ is already registered`);
    }
    if (this.byKinds.has(handler.kind)) {
      throw new Error(`Token kind "${handler.kind}" is already registered`);
    }
    this.byLetters.set(handler.letter, handler);
    this.byKinds.set(handler.kind, handler);
  }

  byLetter(letter: string): TokenKindHandler | undefined {
    return this.byLetters.get(letter);
  }

  /** Every registered kind, in registration order. */
  all(): TokenKindHandler[] {
    return [...this.byKinds.values()];
  }

  byKind(kind: TokenKind): TokenKindHandler | undefined {
    return this.byKinds.get(kind);
  }

  capabilitiesOf(kind: TokenKind): TokenKindCapabilities {
    return this.byKinds.get(kind)?.capabilities ?? NONE;
  }

  /** The kinds that may come in the query string, as people say them (`long-lived`). */
  queryStringKinds(): string[] {
    return [...this.byKinds.values()]
      .filter((handler) => handler.capabilities.queryString)
      .map((handler) => handler.kind.replaceAll('_', '-'));
  }

  /** Whether the caller is a person signed in (the rule for minting credentials). */
  isLoginSession(principal: Principal): boolean {
    return this.capabilitiesOf(principal.kind).loginSession === true;
  }
}
