import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { Clock } from '../common/clock.js';
import type { Principal } from './principal.js';
import { PrincipalCache } from './principal-cache.js';
import { TokenCodec } from './token-codec.js';
import {
  type TokenKindHandler,
  TokenKindRegistry,
  type TokenRequestMeta,
} from './token-kind.registry.js';

export type TokenFailure = 'malformed' | 'invalid';

/** What the guard hands passport: only the token sources the route allows. */
export interface CredentialView {
  headers: { authorization?: string };
  query?: { access_token?: string };
  body?: undefined;
  failure?: TokenFailure;
  /** Where the request came from, for a kind's `rejected` hook. */
  meta?: TokenRequestMeta;
}

/**
 * One passport-http-bearer strategy for every token kind. The checksum is checked before any
 * lookup; the kind letter picks the module that resolves the hash; resolved principals are
 * cached until something that could refuse them happens.
 */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(
    private readonly codec: TokenCodec,
    private readonly kinds: TokenKindRegistry,
    private readonly cache: PrincipalCache,
    private readonly clock: Clock,
  ) {
    super({ passReqToCallback: true });
  }

  async validate(view: CredentialView, token: string): Promise<Principal | false> {
    const letter = this.codec.kindOf(token);
    const handler = letter ? this.kinds.byLetter(letter) : undefined;
    if (!handler) {
      view.failure = 'malformed';
      return false;
    }
    const principal = await this.resolve(handler, token, view);
    if (!principal) view.failure = 'invalid';
    return principal ?? false;
  }

  private async resolve(
    handler: TokenKindHandler,
    token: string,
    view: CredentialView,
  ): Promise<Principal | null> {
    const hash = this.codec.hash(token);
    const nowMs = this.clock.nowMs();
    const cached = this.cache.get(hash, nowMs);
    if (cached) return cached;
    const epoch = this.cache.epoch();
    const resolved = await handler.resolve(hash, new Date(nowMs));
    if (!resolved) {
      await handler
        .rejected?.(hash, new Date(nowMs), view.meta ?? { ip: null, userAgent: null })
        .catch(() => undefined);
      return null;
    }
    this.cache.set(hash, resolved, epoch, nowMs);
    return resolved.principal;
  }
}
