import { Inject, Injectable } from '@nestjs/common';
import type { UserRole } from '../auth/principal.js';
import { type ScopeDefinition, ScopeRegistry } from '../auth/scope.registry.js';
import { ApiException } from '../common/errors/api.exception.js';
import { type ExpiryRequest, requestedExpiry } from '../common/expiry.js';
import { clientTokensConfig, type ClientTokensConfig } from './client-tokens.config.js';

const DAY_SECONDS = 86_400;

/**
 * The rules every client token obeys, whoever mints it: scopes must be registered and held by
 * the user, and the lifetime is clamped by CLIENT_TOKEN_MAX_TTL_DAYS and by the shortest
 * `maxTtlSeconds` among the scopes. "Never" is the longest the policy allows.
 */
@Injectable()
export class ClientTokenPolicy {
  private readonly maxTtlSeconds: number | undefined;

  constructor(
    private readonly scopes: ScopeRegistry,
    @Inject(clientTokensConfig.KEY) config: ClientTokensConfig,
  ) {
    const days = config.maxTtlDays;
    this.maxTtlSeconds = days > 0 ? days * DAY_SECONDS : undefined;
  }

  /** The scopes a user with this role may put on a client token, for the console's picker. */
  grantableScopes(role: UserRole): ScopeDefinition[] {
    return this.scopes.all().filter((scope) => this.scopes.mayHold(role, scope.name));
  }

  /** The longest lifetime in days (CLIENT_TOKEN_MAX_TTL_DAYS), or null when uncapped. */
  get maxDays(): number | null {
    return this.maxTtlSeconds === undefined ? null : this.maxTtlSeconds / DAY_SECONDS;
  }

  /** 400 for an unknown scope, 403 for one the user may not hold; returns them deduplicated. */
  assertGrantable(requested: string[], role: UserRole): string[] {
    const scopes = [...new Set(requested)];
    this.scopes.assertKnown(scopes);
    const refused = scopes.filter((scope) => !this.scopes.mayHold(role, scope));
    if (refused.length > 0) {
      throw ApiException.scopeNotAllowed(refused);
    }
    return scopes;
  }

  /** The absolute expiry asked for (null: never); see `requestedExpiry`. */
  requestedExpiry(request: ExpiryRequest, now: Date): Date | null {
    return requestedExpiry(request, now);
  }

  /**
   * The expiry a token with these scopes gets: the requested one, clamped to the policy. The
   * result has whole seconds, as MySQL's DATETIME keeps them, so what a client is told is
   * exactly what is stored.
   */
  clampExpiry(requested: Date | null, scopes: readonly string[], now: Date): Date | null {
    const limits = [this.maxTtlSeconds, this.scopes.maxTtlSeconds(scopes)].filter(
      (limit): limit is number => limit !== undefined,
    );
    let expiresAt = requested;
    if (limits.length > 0) {
      const cap = new Date(now.getTime() + Math.min(...limits) * 1000);
      if (expiresAt === null || expiresAt > cap) expiresAt = cap;
    }
    if (expiresAt === null) return null;
    return new Date(Math.floor(expiresAt.getTime() / 1000) * 1000);
  }
}
