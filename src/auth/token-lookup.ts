import { Injectable } from '@nestjs/common';
import { TokenCodec } from './token-codec.js';
import {
  type ResolvedToken,
  type TokenKindHandler,
  TokenKindRegistry,
} from './token-kind.registry.js';

/** A live token and the kind that issued it. */
export interface FoundToken {
  handler: TokenKindHandler;
  resolved: ResolvedToken;
}

/**
 * A raw token to its kind and its live state, read fresh from the kind's table: what the
 * bearer strategy does on a cache miss, and what introspection and leak reports need.
 */
@Injectable()
export class TokenLookup {
  constructor(
    private readonly codec: TokenCodec,
    private readonly kinds: TokenKindRegistry,
  ) {}

  /** The kind a token's prefix names, if its checksum holds and a module registered it. */
  handlerOf(raw: string): TokenKindHandler | undefined {
    const letter = this.codec.kindOf(raw);
    return letter ? this.kinds.byLetter(letter) : undefined;
  }

  /**
   * The live token behind a raw secret, or null. During a TOKEN_PEPPER rotation a token
   * stored under the previous pepper is found too, and moved to the current one.
   */
  async resolve(
    handler: TokenKindHandler,
    raw: string,
    now: Date,
    hash = this.codec.hash(raw),
  ): Promise<ResolvedToken | null> {
    const resolved = await handler.resolve(hash, now);
    if (resolved) return resolved;
    const previous = this.codec.previousHash(raw);
    if (!previous) return null;
    const underPrevious = await handler.resolve(previous, now);
    if (underPrevious) await handler.rehash(underPrevious.principal.tokenId, previous, hash);
    return underPrevious;
  }

  /** Both steps: the live token behind a raw secret of any kind, or null. */
  async find(raw: string, now: Date): Promise<FoundToken | null> {
    const handler = this.handlerOf(raw);
    if (!handler) return null;
    const resolved = await this.resolve(handler, raw, now);
    return resolved ? { handler, resolved } : null;
  }
}
