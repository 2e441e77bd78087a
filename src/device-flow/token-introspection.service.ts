import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { TokenLookup } from '../auth/token-lookup.js';
import { Clock } from '../common/clock.js';
import { RateLimiter } from '../common/rate-limit/rate-limiter.js';
import { invalidClient, type PresentedClient } from './client-authentication.js';
import { DeviceAuthorizationsRepository } from './device-authorizations.repository.js';
import { deviceFlowConfig, type DeviceFlowConfig } from './device-flow.config.js';
import { DeviceFlowUrls } from './device-flow.urls.js';
import type { IntrospectionDto } from './dto/oauth.dto.js';
import { OAuthClientsService } from './oauth-clients.service.js';

const INACTIVE: IntrospectionDto = { active: false };

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * RFC 7662: a protected resource asks whether a token is live and what it may do. The
 * token is read fresh from its kind's table on every call, so a revocation shows on the
 * very next introspection; any token that is not live answers `{ active: false }` and
 * nothing else.
 */
@Injectable()
export class TokenIntrospectionService {
  constructor(
    private readonly clients: OAuthClientsService,
    private readonly lookup: TokenLookup,
    private readonly authorizations: DeviceAuthorizationsRepository,
    private readonly rateLimiter: RateLimiter,
    private readonly urls: DeviceFlowUrls,
    private readonly clock: Clock,
    @Inject(deviceFlowConfig.KEY) private readonly config: DeviceFlowConfig,
  ) {}

  /**
   * Who is asking, as a rate-limit key: the bearer token the guard accepted (it holds
   * `tokens.introspect`), or a confidential client an admin allowed to introspect. Anyone
   * else gets 401 `invalid_client`.
   */
  async caller(principal: Principal | undefined, presented: PresentedClient): Promise<string> {
    if (principal) return `token:${principal.tokenId}`;
    const clientId = presented.clientId;
    if (clientId === undefined) {
      throw invalidClient(
        'Authenticate to introspect: as a confidential client allowed to (HTTP Basic or client_id and client_secret in the form), or with a bearer token holding tokens.introspect',
      );
    }
    const { client, method } = await this.clients.authenticate(presented);
    if (!client || method === null) {
      throw invalidClient(
        `The client "${clientId}" cannot introspect: only a confidential registered client that an admin allowed to (may_introspect) can, authenticating with its secret`,
      );
    }
    if (!client.mayIntrospect) {
      throw invalidClient(
        `The client "${clientId}" is not allowed to introspect tokens: an admin can allow it (may_introspect: true)`,
      );
    }
    return `client:${client.clientId}`;
  }

  async introspect(caller: string, raw: string): Promise<IntrospectionDto> {
    await this.rateLimiter.consume(
      {
        name: 'oauth.introspect.caller',
        limit: this.config.introspectionPerMinute,
        windowSeconds: 60,
      },
      caller,
    );
    const found = await this.lookup.find(raw.trim(), this.clock.now());
    if (!found) return INACTIVE;
    const { principal, expiresAt, issuedAt } = found.resolved;
    // Only device-flow tokens have a client; they are always bound to a device.
    const issuedBy = principal.deviceId
      ? await this.authorizations.findByIssuedToken(principal.tokenId)
      : null;
    return {
      active: true,
      scope: principal.scopes.join(' '),
      ...(issuedBy?.clientId ? { client_id: issuedBy.clientId } : {}),
      username: principal.user.username,
      sub: principal.user.id,
      token_type: 'Bearer',
      ...(expiresAt ? { exp: seconds(expiresAt) } : {}),
      iat: seconds(issuedAt),
      iss: this.urls.issuer,
      ...(principal.deviceId ? { device_id: principal.deviceId } : {}),
      token_kind: principal.kind,
    };
  }
}
