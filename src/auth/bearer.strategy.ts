import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { Clock } from '../common/clock.js';
import { Metrics } from '../common/metrics/metrics.js';
import { type RateLimit, RateLimiter } from '../common/rate-limit/rate-limiter.js';
import { appConfig, type AppConfig } from '../config/app.config.js';
import type { Principal } from './principal.js';
import { PrincipalCache } from './principal-cache.js';
import { PrincipalValidity } from './principal-validity.js';
import { TokenCodec } from './token-codec.js';
import type { TokenKindHandler } from './token-kind.registry.js';
import { TokenLookup } from './token-lookup.js';
import type { RequestMeta } from '../common/request-meta.js';

export type TokenFailure = 'malformed' | 'invalid';

/** What the guard hands passport: only the token sources the route allows. */
export interface CredentialView {
  headers: { authorization?: string };
  query?: { access_token?: string };
  body?: undefined;
  failure?: TokenFailure;
  /** Where the request came from, for a kind's `rejected` hook. */
  meta?: RequestMeta;
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
    private readonly lookup: TokenLookup,
    private readonly cache: PrincipalCache,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    private readonly rateLimiter: RateLimiter,
    private readonly validity: PrincipalValidity,
    @Inject(appConfig.KEY) config: AppConfig,
  ) {
    super({ passReqToCallback: true });
    this.invalidLimit = {
      name: 'auth.invalid_token.ip',
      limit: config.invalidTokenRateLimitPerIp,
      windowSeconds: 60,
    };
  }

  private readonly invalidLimit: RateLimit;

  async validate(view: CredentialView, token: string): Promise<Principal | false> {
    const handler = this.lookup.handlerOf(token);
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
    this.metrics.principalCache.inc({ result: cached ? 'hit' : 'miss' });
    if (cached) {
      this.validity.note(cached, hash, handler.letter);
      return cached;
    }
    // An address that keeps presenting tokens that resolve to nothing is stopped before any
    // lookup; a valid token already in the cache (above) is never stopped by it.
    const address = view.meta?.ip ?? 'unknown';
    const invalid = await this.rateLimiter.peek(this.invalidLimit, address);
    if (invalid.hits >= this.invalidLimit.limit) {
      throw this.rateLimiter.refusal(this.invalidLimit, invalid, address);
    }
    if (this.cache.isRefused(hash, nowMs)) {
      await this.rateLimiter.count(this.invalidLimit, address);
      return null;
    }
    const epoch = this.cache.epoch();
    const resolved = await this.lookup.resolve(handler, token, new Date(nowMs), hash);
    if (!resolved) {
      this.cache.refuse(hash, epoch, nowMs);
      await this.rateLimiter.count(this.invalidLimit, address);
      await handler
        .rejected?.(hash, new Date(nowMs), view.meta ?? { ip: null, userAgent: null })
        .catch(() => undefined);
      return null;
    }
    this.cache.set(hash, resolved, epoch, nowMs);
    this.validity.note(resolved.principal, hash, handler.letter);
    return resolved.principal;
  }
}
