import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { RequestMeta } from '../common/request-meta.js';
import type { Principal } from '../auth/principal.js';
import { ScopeRegistry } from '../auth/scope.registry.js';
import { Clock } from '../common/clock.js';
import { Transactions } from '../common/database/transactions.js';
import { ApiException } from '../common/errors/api.exception.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { requestedExpiry } from '../common/expiry.js';
import { RateLimiter } from '../common/rate-limit/rate-limiter.js';
import { deviceFlowConfig, type DeviceFlowConfig } from './device-flow.config.js';
import type { DeviceAuthorization } from './device-authorization.entity.js';
import { DeviceAuthorizationsRepository } from './device-authorizations.repository.js';
import { DeviceFlowError } from './device-flow.errors.js';
import { DeviceTokensService } from '../client-tokens/device-tokens.service.js';
import type {
  ApproveDeviceDto,
  DeviceDecisionDto,
  DevicePendingDto,
} from './dto/device-approval.dto.js';
import { OAuthClientsService } from './oauth-clients.service.js';
import { PendingPollCache } from './pending-poll.cache.js';
import { formatHumanCode } from '../common/human-code.js';

/**
 * The approving person's side: look a request up by its user code, approve it (optionally
 * narrowed, renamed, with an expiry) or deny it. Every lookup by user code counts against
 * the guessing limits, per user and per IP, successes included.
 */
@Injectable()
export class DeviceApprovalService {
  constructor(
    private readonly authorizations: DeviceAuthorizationsRepository,
    private readonly clients: OAuthClientsService,
    private readonly issuer: DeviceTokensService,
    private readonly scopes: ScopeRegistry,
    private readonly pendingView: PendingPollCache,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly rateLimiter: RateLimiter,
    private readonly clock: Clock,
    @Inject(deviceFlowConfig.KEY) private readonly config: DeviceFlowConfig,
  ) {}

  async pending(
    principal: Principal,
    userCode: string,
    meta: RequestMeta,
  ): Promise<DevicePendingDto> {
    const row = await this.findLive(principal, userCode, meta);
    const client = row.clientId ? await this.clients.findRegistered(row.clientId) : null;
    // Only a confidential client that proved itself at init is verified: any device can send
    // a public client's id.
    const verified = client?.secretHash != null && row.clientAuthMethod !== null;
    return {
      user_code: formatHumanCode(row.userCode),
      client_id: row.clientId,
      client_name: client?.displayName ?? row.clientName ?? row.clientId,
      client_registered: client !== null,
      client_verified: verified,
      client_warning: verified
        ? null
        : client
          ? `Any device can claim to be "${client.displayName}": its details below are what the device reports. Approve only if you started this on a device you are holding.`
          : 'This app is not registered here: its name and details are only what the device claims. Approve only if you started this on a device you are holding.',
      client_device_identifier: row.clientDeviceIdentifier,
      device_name: row.deviceName,
      platform: row.platform,
      client_version: row.clientVersion,
      scopes: splitScopes(row.requestedScopes).map((name) => ({
        name,
        description: this.scopes.get(name)?.description ?? name,
        grantable: principal.scopes.includes(name),
      })),
      ip: row.requestIp,
      user_agent: row.requestUserAgent,
      created_at: row.createdAt.toISOString(),
      expires_at: row.expiresAt.toISOString(),
    };
  }

  async approve(
    principal: Principal,
    dto: ApproveDeviceDto,
    meta: RequestMeta,
  ): Promise<DeviceDecisionDto> {
    const row = await this.findLive(principal, dto.user_code, meta);
    const requested = splitScopes(row.requestedScopes);
    const granted = dto.scopes ? [...new Set(dto.scopes)] : requested;
    const notRequested = granted.filter((s) => !requested.includes(s));
    if (notRequested.length > 0) {
      throw ApiException.badRequest(
        DeviceFlowError.ScopeNotRequested,
        `Scopes can only be narrowed: the device did not ask for ${notRequested.join(', ')}`,
      );
    }
    // The approving token's effective scopes, not just the user's role: a narrow client
    // token with me.write must not hand a device more than it holds itself.
    const notHeld = granted.filter((s) => !principal.scopes.includes(s));
    if (notHeld.length > 0) {
      throw ApiException.scopeNotAllowed(
        notHeld,
        `You cannot grant ${notHeld.join(', ')}; leave ${notHeld.length > 1 ? 'them' : 'it'} out with "scopes"`,
      );
    }
    const now = this.clock.now();
    now.setUTCMilliseconds(0);
    const refusal = await this.clients.policyRefusal(row.clientId, granted);
    if (refusal) {
      await this.transactions.run((manager) =>
        this.audit.record(manager, {
          action: 'device_flow.approve',
          outcome: 'denied',
          actor: principal,
          target: { type: 'device_authorization', id: row.id },
          meta,
          details: { client_id: row.clientId, reason: refusal.error, granted_scopes: granted },
        }),
      );
      throw ApiException.badRequest(refusal.error, refusal.message);
    }
    // The one clamped expiry, by the client-token policy: the response, the audit event and
    // the token the device collects all carry it.
    const askedExpiry = requestedExpiry(dto, now);
    const tokenExpiresAt = this.issuer.clampExpiry(askedExpiry, granted, now);
    const expiryClamped = askedExpiry?.getTime() !== tokenExpiresAt?.getTime();
    const tokenName = dto.name ?? null;

    await this.transactions.run(async (manager) => {
      const approved = await this.authorizations.approve(manager, row.id, now, {
        userId: principal.user.id,
        grantedScopes: granted,
        tokenName,
        tokenExpiresAt,
      });
      if (!approved) throw notFound();
      await this.audit.record(manager, {
        action: 'device_flow.approve',
        actor: principal,
        target: { type: 'device_authorization', id: row.id },
        meta,
        details: {
          client_id: row.clientId,
          client_device_identifier: row.clientDeviceIdentifier,
          requested_scopes: requested,
          granted_scopes: granted,
          name: tokenName,
          token_expires_at: tokenExpiresAt?.toISOString() ?? null,
          ...(expiryClamped ? { expiry_clamped: true } : {}),
        },
      });
    });
    await this.pendingView.evict(row.deviceCodeHash);
    return {
      user_code: formatHumanCode(row.userCode),
      status: 'approved',
      scopes: granted,
      name: tokenName,
      token_expires_at: tokenExpiresAt?.toISOString() ?? null,
      ...(expiryClamped ? { expiry_clamped: true } : {}),
    };
  }

  async deny(
    principal: Principal,
    userCode: string,
    meta: RequestMeta,
  ): Promise<DeviceDecisionDto> {
    const row = await this.findLive(principal, userCode, meta);
    const now = this.clock.now();
    now.setUTCMilliseconds(0);
    await this.transactions.run(async (manager) => {
      const denied = await this.authorizations.deny(manager, row.id, principal.user.id, now);
      if (!denied) throw notFound();
      await this.audit.record(manager, {
        action: 'device_flow.deny',
        actor: principal,
        target: { type: 'device_authorization', id: row.id },
        meta,
        details: { client_id: row.clientId, client_device_identifier: row.clientDeviceIdentifier },
      });
    });
    await this.pendingView.evict(row.deviceCodeHash);
    return { user_code: formatHumanCode(row.userCode), status: 'denied' };
  }

  /** Counts the guess first, then answers unknown, expired and finished codes alike. */
  private async findLive(
    principal: Principal,
    userCode: string,
    meta: RequestMeta,
  ): Promise<DeviceAuthorization> {
    const { userCode: limit, windowSeconds } = this.config.rateLimit;
    await this.rateLimiter.consumeAll([
      [{ name: 'device.user_code.ip', limit, windowSeconds }, meta.ip ?? 'unknown'],
      [{ name: 'device.user_code.user', limit, windowSeconds }, principal.user.id],
    ]);
    const row = await this.authorizations.findByUserCode(userCode);
    if (!row || row.status !== 'pending' || row.expiresAt.getTime() <= this.clock.nowMs()) {
      throw notFound();
    }
    return row;
  }
}

function notFound(): ApiException {
  return new ApiException(
    HttpStatus.NOT_FOUND,
    ErrorCode.NotFound,
    'No pending sign-in request has this code: it is mistyped, expired, or already approved or denied',
  );
}

export function splitScopes(value: string | null): string[] {
  return value ? value.split(' ').filter(Boolean) : [];
}
