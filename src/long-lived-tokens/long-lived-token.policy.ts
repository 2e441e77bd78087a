import { Inject, Injectable } from '@nestjs/common';
import type { UserRole } from '../auth/principal.js';
import { ScopeRegistry } from '../auth/scope.registry.js';
import { ApiException } from '../common/errors/api.exception.js';
import { longLivedTokensConfig, type LongLivedTokensConfig } from './long-lived-tokens.config.js';
import { LongLivedTokenErrorCode } from './long-lived-token.errors.js';

/** What `scope` means when a client leaves it out: the camera card is the model use. */
export const DEFAULT_LONG_LIVED_SCOPE = 'camera.stream';

const DAY_MS = 24 * 3600 * 1000;

/** The rules for what a long-lived token may hold and how long it may live. */
@Injectable()
export class LongLivedTokenPolicy {
  readonly maxDays: number;

  constructor(
    private readonly scopes: ScopeRegistry,
    @Inject(longLivedTokensConfig.KEY) config: LongLivedTokensConfig,
  ) {
    this.maxDays = config.maxDays;
  }

  /** Registered scopes marked long-lived that a user with this role may hold. */
  grantableScopes(role: UserRole) {
    return this.scopes
      .all()
      .filter((scope) => scope.longLived && this.scopes.mayHold(role, scope.name));
  }

  defaultScope(): string | null {
    return this.scopes.get(DEFAULT_LONG_LIVED_SCOPE)?.longLived ? DEFAULT_LONG_LIVED_SCOPE : null;
  }

  /** The one scope to grant: registered, marked long-lived, and one the user may hold. */
  assertGrantable(requested: string | undefined, role: UserRole): string {
    const scope = requested ?? DEFAULT_LONG_LIVED_SCOPE;
    this.scopes.assertKnown([scope]);
    if (!this.scopes.get(scope)?.longLived) {
      const allowed = this.grantableScopes(role).map((s) => s.name);
      throw ApiException.badRequest(
        LongLivedTokenErrorCode.ScopeNotLongLived,
        `A long-lived token does one read-only thing, so it may only hold a scope registered for it; ${scope} is not. ` +
          (allowed.length > 0 ? `Long-lived scopes: ${allowed.join(', ')}` : 'None is registered'),
        [{ field: 'scope', problems: [`${scope} is not a long-lived scope`] }],
      );
    }
    if (!this.scopes.mayHold(role, scope)) {
      throw ApiException.scopeNotAllowed([scope]);
    }
    return scope;
  }

  /**
   * The expiry: required, at most LONG_LIVED_TOKEN_MAX_DAYS, and clamped by the scope's
   * `maxTtlSeconds` if it has one.
   */
  expiry(
    days: number | null | undefined,
    scope: string,
    now: Date,
  ): { expiresAt: Date; clamped: boolean } {
    if (days === null || days === undefined) {
      throw ApiException.badRequest(
        LongLivedTokenErrorCode.ExpiryRequired,
        `expires_in_days is required (1-${this.maxDays}): a long-lived token is pasted into a device and forgotten, so it must stop working by itself. "Never" is not offered; create a new token before this one expires`,
        [{ field: 'expires_in_days', problems: ['expires_in_days is required'] }],
      );
    }
    if (days > this.maxDays) {
      throw ApiException.badRequest(
        LongLivedTokenErrorCode.ExpiryTooLong,
        `expires_in_days must be at most ${this.maxDays} (LONG_LIVED_TOKEN_MAX_DAYS)`,
        [
          {
            field: 'expires_in_days',
            problems: [`expires_in_days must be at most ${this.maxDays}`],
          },
        ],
      );
    }
    const requestedMs = now.getTime() + days * DAY_MS;
    const ttlSeconds = this.scopes.maxTtlSeconds([scope]);
    const capMs = ttlSeconds === undefined ? requestedMs : now.getTime() + ttlSeconds * 1000;
    return { expiresAt: new Date(Math.min(requestedMs, capMs)), clamped: capMs < requestedMs };
  }
}
