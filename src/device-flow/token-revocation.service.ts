import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { PrincipalCache } from '../auth/principal-cache.js';
import { DeviceTokensService } from '../client-tokens/device-tokens.service.js';
import { Clock } from '../common/clock.js';
import { Transactions } from '../common/database/transactions.js';
import { RateLimiter } from '../common/rate-limit/rate-limiter.js';
import type { RequestMeta } from '../common/request-meta.js';
import type { PresentedClient } from './client-authentication.js';
import { DeviceAuthorizationsRepository } from './device-authorizations.repository.js';
import { deviceFlowConfig, type DeviceFlowConfig } from './device-flow.config.js';
import { OAuthClientsService } from './oauth-clients.service.js';

/**
 * RFC 7009: a client gives back a token it was issued. Only tokens the device flow minted
 * for this client_id are revoked; anything else (another client's token, a personal access
 * token, a session, an unknown or dead token) changes nothing, and the answer is the same
 * 200 either way, so the endpoint says nothing about tokens it did not issue to the caller.
 */
@Injectable()
export class TokenRevocationService {
  constructor(
    private readonly clients: OAuthClientsService,
    private readonly tokens: DeviceTokensService,
    private readonly authorizations: DeviceAuthorizationsRepository,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly principals: PrincipalCache,
    private readonly rateLimiter: RateLimiter,
    private readonly clock: Clock,
    @Inject(deviceFlowConfig.KEY) private readonly config: DeviceFlowConfig,
  ) {}

  async revoke(client: PresentedClient, raw: string, meta: RequestMeta): Promise<void> {
    // Throttled like the token endpoint: each attempt may cost a lookup.
    const { tokenPerIp, windowSeconds } = this.config.rateLimit;
    await this.rateLimiter.consume(
      { name: 'oauth.revoke.ip', limit: tokenPerIp, windowSeconds },
      meta.ip ?? 'unknown',
    );
    // A confidential client proves itself first (401 invalid_client otherwise).
    await this.clients.authenticate(client);
    const token = await this.tokens.findLive(raw);
    if (!token) return;
    const issuedBy = await this.authorizations.findByIssuedToken(token.id);
    if (!issuedBy || issuedBy.clientId !== client.clientId) return;
    const now = this.clock.now();
    const revoked = await this.transactions.run(async (manager) => {
      if (!(await this.tokens.revokeInTransaction(manager, token.id, now))) return false;
      await this.audit.record(manager, {
        action: 'client_token.revoke',
        actor: { userId: token.userId },
        target: { type: 'client_token', id: token.id },
        meta,
        details: {
          via: 'oauth_revoke',
          client_id: client.clientId,
          device_id: token.deviceId,
          device_authorization_id: issuedBy.id,
        },
      });
      return true;
    });
    if (revoked) await this.principals.evict({ tokenIds: [token.id] });
  }
}
