import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { RequestMeta } from '../common/request-meta.js';
import { PrincipalCache } from '../auth/principal-cache.js';
import { TokenCodec } from '../auth/token-codec.js';
import { Clock } from '../common/clock.js';
import { Transactions } from '../common/database/transactions.js';
import { RateLimiter } from '../common/rate-limit/rate-limiter.js';
import { deviceFlowConfig, type DeviceFlowConfig } from './device-flow.config.js';
import { splitScopes } from './device-approval.service.js';
import {
  DeviceAuthorizationsRepository,
  type PollRow,
} from './device-authorizations.repository.js';
import { DevicePollTracker } from './device-poll.tracker.js';
import {
  DeviceTokensService,
  type MintedDeviceToken,
} from '../client-tokens/device-tokens.service.js';
import type { PresentedClient } from './client-authentication.js';
import { DeviceFlowError } from './device-flow.errors.js';
import { DEVICE_CODE_GRANT, type DeviceTokenDto } from './dto/device-token.dto.js';
import { OAuthClientsService } from './oauth-clients.service.js';
import { OAuthException } from './oauth.exception.js';
import { PendingPollCache, type PendingPollState } from './pending-poll.cache.js';

export interface DeviceTokenRequest {
  /** Required on the OAuth surface; the JSON API checks it when sent. */
  grantType: string | undefined;
  deviceCode: string | undefined;
  /** The client_id (checked against the request's when sent), and its secret if any. */
  client: PresentedClient;
  /** The OAuth surface requires client_id (RFC 8628 §3.4); the JSON API checks it when sent. */
  requireClientId: boolean;
}

type PolicyRefusal = NonNullable<Awaited<ReturnType<OAuthClientsService['policyRefusal']>>>;

const DEVICE_CODE_FORMAT = /^[A-Za-z0-9_-]{43}$/;
/** At most one `device_flow.code_reuse` event per authorization in this long. */
const REPLAY_AUDIT_WINDOW_MS = 10 * 60_000;

type PollState = Pick<PollRow, 'id' | 'status' | 'clientId' | 'intervalSeconds'> & {
  expiresAtMs: number;
};

/**
 * The device's side: poll until the person decides, then collect the token. A pending poll
 * is one indexed read, or none while the code sits in the pending view; collecting is one
 * transaction around the conditional update that consumes the code, so concurrent polls can
 * never mint two tokens, and a replay of a consumed code revokes what it minted.
 */
@Injectable()
export class DeviceTokenService {
  constructor(
    private readonly authorizations: DeviceAuthorizationsRepository,
    private readonly issuer: DeviceTokensService,
    private readonly clients: OAuthClientsService,
    private readonly tracker: DevicePollTracker,
    private readonly pendingView: PendingPollCache,
    private readonly codec: TokenCodec,
    private readonly principals: PrincipalCache,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly rateLimiter: RateLimiter,
    private readonly clock: Clock,
    @Inject(deviceFlowConfig.KEY) private readonly config: DeviceFlowConfig,
  ) {}

  async exchange(request: DeviceTokenRequest, meta: RequestMeta): Promise<DeviceTokenDto> {
    const { tokenPerIp, windowSeconds } = this.config.rateLimit;
    await this.rateLimiter.consume(
      { name: 'device.token.ip', limit: tokenPerIp, windowSeconds },
      meta.ip ?? 'unknown',
    );
    if (request.grantType !== DEVICE_CODE_GRANT && (request.requireClientId || request.grantType)) {
      throw new OAuthException(
        'unsupported_grant_type',
        `Only the device code grant (${DEVICE_CODE_GRANT}) is supported`,
      );
    }
    if (!request.deviceCode) throw new OAuthException('invalid_request', 'device_code is required');
    const { clientId } = request.client;
    if (request.requireClientId && !clientId) {
      throw new OAuthException('invalid_request', 'client_id is required');
    }
    // The client first (RFC 6749 §3.2.1): a confidential one proves itself on every poll.
    if (clientId !== undefined) await this.clients.authenticate(request.client);
    if (!DEVICE_CODE_FORMAT.test(request.deviceCode)) throw unknownCode();
    const hash = this.codec.hash(request.deviceCode);

    const state = await this.stateOf(hash);
    if (!state) throw unknownCode();
    if (clientId === undefined) {
      // The JSON API may leave client_id out: the code's client must then be a public one.
      if (state.clientId)
        await this.clients.authenticate({ ...request.client, clientId: state.clientId });
    } else if (clientId !== (state.clientId ?? undefined)) {
      throw new OAuthException('invalid_grant', 'This device_code was issued to another client_id');
    }
    return this.answer(hash, state, meta, true);
  }

  private async answer(
    hash: string,
    state: PollState,
    meta: RequestMeta,
    firstTry: boolean,
  ): Promise<DeviceTokenDto> {
    const nowMs = this.clock.nowMs();
    if (state.status === 'consumed') return this.refuseReplay(state.id, meta);
    if (state.status === 'denied') {
      throw new OAuthException('access_denied', 'The user denied this device');
    }
    if (state.expiresAtMs <= nowMs) {
      throw new OAuthException(
        'expired_token',
        'This device_code has expired: start again with a new device authorization request',
      );
    }
    if (state.status === 'pending') {
      const decision = await this.tracker.poll(
        hash,
        nowMs,
        state.intervalSeconds,
        state.expiresAtMs,
      );
      if (decision.slowDown) {
        throw new OAuthException(
          'slow_down',
          `Polling too fast: wait at least ${decision.intervalSeconds} seconds between requests`,
          { interval: decision.intervalSeconds },
        );
      }
      throw new OAuthException(
        'authorization_pending',
        'The user has not approved this device yet',
        { interval: decision.intervalSeconds },
      );
    }
    const minted = await this.collect(state.id, meta);
    if (minted && 'error' in minted) {
      throw new OAuthException(
        minted.error === DeviceFlowError.InvalidClient ? 'invalid_client' : 'invalid_scope',
        minted.message,
      );
    }
    if (minted) {
      if (minted.supersededTokenIds.length > 0) {
        await this.principals.evict({ tokenIds: minted.supersededTokenIds });
      }
      this.tracker.forget(hash);
      return {
        access_token: minted.raw,
        token_type: 'Bearer',
        scope: minted.scopes.join(' '),
        ...(minted.expiresAt
          ? { expires_in: Math.max(0, Math.floor((minted.expiresAt.getTime() - nowMs) / 1000)) }
          : {}),
        device_id: minted.deviceId,
      };
    }
    // Another poll consumed it first (or it expired meanwhile): answer from the committed state.
    const fresh = firstTry ? await this.authorizations.findPollRow(hash) : null;
    if (!fresh) throw unknownCode();
    return this.answer(hash, toState(fresh), meta, false);
  }

  /** Pending codes come from the short view; everything else from one indexed read. */
  private async stateOf(hash: string): Promise<PollState | null> {
    const nowMs = this.clock.nowMs();
    const cached = this.pendingView.get(hash, nowMs);
    if (cached) return { ...cached, status: 'pending' };
    const epoch = this.pendingView.epoch();
    const row = await this.authorizations.findPollRow(hash);
    if (!row) return null;
    const state = toState(row);
    if (state.status === 'pending' && state.expiresAtMs > nowMs) {
      const view: PendingPollState = {
        id: state.id,
        clientId: state.clientId,
        intervalSeconds: state.intervalSeconds,
        expiresAtMs: state.expiresAtMs,
      };
      this.pendingView.set(hash, view, epoch, nowMs);
    }
    return state;
  }

  /** approved -> consumed, the token minted and the event recorded, all or nothing. */
  private async collect(
    id: string,
    meta: RequestMeta,
  ): Promise<MintedDeviceToken | PolicyRefusal | null> {
    const now = this.clock.now();
    return this.transactions.run(async (manager) => {
      if (!(await this.authorizations.consume(manager, id, now))) return null;
      const row = (await this.authorizations.findById(id, manager))!;
      const scopes = splitScopes(row.grantedScopes);
      // The client may have been narrowed or removed since the person approved.
      const refusal = await this.clients.policyRefusal(row.clientId, scopes);
      if (refusal) {
        await this.authorizations.withdrawApproval(manager, id, now);
        await this.audit.record(manager, {
          action: 'device_flow.token_refused',
          outcome: 'denied',
          actor: { userId: row.userId! },
          target: { type: 'device_authorization', id },
          meta,
          details: { client_id: row.clientId, reason: refusal.error, scopes },
        });
        return refusal;
      }
      const client = row.clientId ? await this.clients.findRegistered(row.clientId) : null;
      const clientLabel = client?.displayName ?? row.clientName ?? row.clientId;
      const minted = await this.issuer.mintForDevice(manager, {
        userId: row.userId!,
        device: {
          clientDeviceIdentifier: row.clientDeviceIdentifier,
          name: row.tokenName ?? row.deviceName ?? clientLabel,
          client: clientLabel,
          platform: row.platform,
          clientVersion: row.clientVersion,
        },
        name: row.tokenName ?? row.deviceName ?? clientLabel ?? 'Paired device',
        scopes,
        // ClientTokensService clamps it by policy and by the scopes' maxTtlSeconds.
        expiresAt: row.tokenExpiresAt,
      });
      await this.authorizations.recordIssued(manager, id, minted);
      await this.audit.record(manager, {
        action: 'device_flow.token_issued',
        actor: { userId: row.userId! },
        target: { type: 'device_authorization', id },
        meta,
        details: {
          client_id: row.clientId,
          token_id: minted.tokenId,
          device_id: minted.deviceId,
          scopes: minted.scopes,
        },
      });
      if (minted.supersededTokenIds.length > 0) {
        await this.audit.record(manager, {
          action: 'device.tokens_superseded',
          actor: { userId: row.userId! },
          target: { type: 'device', id: minted.deviceId },
          meta,
          details: {
            revoked_token_ids: minted.supersededTokenIds,
            replaced_by_token_id: minted.tokenId,
            device_authorization_id: id,
          },
        });
      }
      return minted;
    });
  }

  /**
   * RFC 6749 §4.1.2 applied to device codes: a replay revokes what the code minted. Replays
   * are counted on the authorization; the audit log gets one event per authorization and
   * REPLAY_AUDIT_WINDOW_MS with the count since the last one, so polling a consumed code
   * cannot grow the log.
   */
  private async refuseReplay(id: string, meta: RequestMeta): Promise<never> {
    const now = this.clock.now();
    const revokedTokenId = await this.transactions.run(async (manager) => {
      const replay = await this.authorizations.countReplay(
        manager,
        id,
        now,
        REPLAY_AUDIT_WINDOW_MS,
      );
      if (!replay?.audit) return null;
      const tokenId = replay.row.issuedTokenId;
      const revoked = tokenId
        ? await this.issuer.revokeInTransaction(manager, tokenId, now)
        : false;
      await this.audit.record(manager, {
        action: 'device_flow.code_reuse',
        outcome: 'denied',
        actor: replay.row.userId ? { userId: replay.row.userId } : null,
        target: { type: 'device_authorization', id },
        meta,
        details: { token_id: tokenId, token_revoked: revoked, replays: replay.unaudited },
      });
      return revoked ? tokenId : null;
    });
    if (revokedTokenId) await this.principals.evict({ tokenIds: [revokedTokenId] });
    throw new OAuthException(
      'invalid_grant',
      'This device_code was already used; the token issued from it has been revoked',
    );
  }
}

function toState(row: PollRow): PollState {
  return {
    id: row.id,
    status: row.status,
    clientId: row.clientId,
    intervalSeconds: row.intervalSeconds,
    expiresAtMs: row.expiresAt.getTime(),
  };
}

function unknownCode(): OAuthException {
  return new OAuthException('invalid_grant', 'Unknown device_code');
}
