import { randomUUID } from 'node:crypto';
import {
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import type { RequestMeta } from '../common/request-meta.js';
import { ScopeRegistry } from '../auth/scope.registry.js';
import { TokenCodec } from '../auth/token-codec.js';
import { Clock } from '../common/clock.js';
import { pooledRandomBytes } from '../common/random-pool.js';
import { ApiException } from '../common/errors/api.exception.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { RateLimiter } from '../common/rate-limit/rate-limiter.js';
import { deviceFlowConfig, type DeviceFlowConfig } from './device-flow.config.js';
import { DeviceAuthorization } from './device-authorization.entity.js';
import { DeviceAuthorizationsRepository } from './device-authorizations.repository.js';
import { DeviceAuthorizationWriter } from './device-authorization.writer.js';
import type { PresentedClient } from './client-authentication.js';
import { DeviceFlowError } from './device-flow.errors.js';
import { DeviceFlowUrls } from './device-flow.urls.js';
import type { DeviceAuthorizationDto } from './dto/device-init.dto.js';
import { OAuthClientsService } from './oauth-clients.service.js';
import { formatHumanCode, generateHumanCode } from '../common/human-code.js';
import { newRowId } from '../common/row-id.js';

export interface DeviceInitInput {
  /** The client_id, and its secret when the OAuth surface received one. */
  client: PresentedClient;
  clientName: string | null;
  /** Generated when the device sends none (plain OAuth clients): each pairing is a new Device. */
  clientDeviceIdentifier: string | null;
  deviceName: string | null;
  platform: string | null;
  clientVersion: string | null;
  scopes: string[];
}

/** 32 random bytes, base64url: 256 bits. */
const DEVICE_CODE_BYTES = 32;
const INSERT_ATTEMPTS = 5;
/** Finished and expired requests are kept this long, so a late replay still revokes. */
const RETENTION_MS = 7 * 24 * 3600 * 1000;
const PURGE_EVERY_MS = 10 * 60 * 1000;

/** Starts device authorizations (RFC 8628 §3.1-3.2), for both the JSON and OAuth surfaces. */
@Injectable()
export class DeviceAuthorizationService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DeviceAuthorizationService.name);
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly authorizations: DeviceAuthorizationsRepository,
    private readonly writer: DeviceAuthorizationWriter,
    private readonly clients: OAuthClientsService,
    private readonly scopes: ScopeRegistry,
    private readonly codec: TokenCodec,
    private readonly rateLimiter: RateLimiter,
    private readonly urls: DeviceFlowUrls,
    private readonly clock: Clock,
    @Inject(deviceFlowConfig.KEY) private readonly config: DeviceFlowConfig,
  ) {}

  onModuleInit(): void {
    this.purgeTimer = setInterval(() => void this.purge(), PURGE_EVERY_MS);
    this.purgeTimer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.purgeTimer);
  }

  /** Device authorizations waiting for a person's answer (the admin dashboard). */
  countPending(): Promise<number> {
    return this.authorizations.countPending(this.clock.now());
  }

  async init(input: DeviceInitInput, meta: RequestMeta): Promise<DeviceAuthorizationDto> {
    const { initPerIp, windowSeconds } = this.config.rateLimit;
    await this.rateLimiter.consume(
      { name: 'device.init.ip', limit: initPerIp, windowSeconds },
      meta.ip ?? 'unknown',
    );

    const { client, method } = await this.clients.authenticate(input.client);
    const clientId = input.client.clientId ?? null;
    if (!client && this.config.requireRegisteredClient) {
      throw ApiException.badRequest(
        DeviceFlowError.InvalidClient,
        clientId
          ? `The client_id "${clientId}" is not registered, and this server only pairs registered clients`
          : 'A registered client_id is required on this server',
      );
    }
    let scopes = [...new Set(input.scopes)];
    if (scopes.length === 0) {
      if (!client) {
        throw ApiException.badRequest(DeviceFlowError.ScopeRequired, 'Ask for at least one scope');
      }
      scopes = client.allowedScopes;
    }
    this.scopes.assertKnown(scopes);
    if (client) {
      const outside = scopes.filter((s) => !client.allowedScopes.includes(s));
      if (outside.length > 0) {
        throw ApiException.badRequest(
          DeviceFlowError.InvalidScope,
          `The client "${client.clientId}" may not ask for ${outside.join(', ')}; it may ask for ${client.allowedScopes.join(', ')}`,
        );
      }
    }

    const { codeTtlSeconds, pollIntervalSeconds } = this.config;
    const deviceCode = pooledRandomBytes(DEVICE_CODE_BYTES).toString('base64url');
    const now = this.clock.now();
    now.setUTCMilliseconds(0);
    const row = Object.assign(new DeviceAuthorization(), {
      id: newRowId(),
      deviceCodeHash: this.codec.hash(deviceCode),
      userCode: '',
      status: 'pending',
      clientId,
      clientName: input.clientName,
      clientDeviceIdentifier: input.clientDeviceIdentifier ?? randomUUID(),
      deviceName: input.deviceName,
      platform: input.platform,
      clientVersion: input.clientVersion,
      requestedScopes: scopes.join(' '),
      grantedScopes: null,
      tokenName: null,
      tokenExpiresAt: null,
      intervalSeconds: pollIntervalSeconds,
      requestIp: meta.ip?.slice(0, 64) ?? null,
      requestUserAgent: meta.userAgent,
      createdAt: now,
      expiresAt: new Date(now.getTime() + codeTtlSeconds * 1000),
      userId: null,
      decidedAt: null,
      consumedAt: null,
      issuedTokenId: null,
      deviceId: null,
      clientAuthMethod: method,
      replayCount: 0,
      replaysAudited: 0,
      replayAuditedAt: null,
    } satisfies DeviceAuthorization);

    await this.insertWithFreshUserCode(
      row,
      {
        client_id: clientId,
        client_name: client?.displayName ?? input.clientName,
        registered_client: client !== null,
        ...(method ? { client_auth_method: method } : {}),
        scopes,
        client_device_identifier: input.clientDeviceIdentifier,
      },
      meta,
    );

    return {
      device_code: deviceCode,
      user_code: formatHumanCode(row.userCode),
      verification_uri: this.urls.verificationUri,
      verification_uri_complete: this.urls.verificationUriComplete(row.userCode),
      qr_url: this.urls.qrUrl(row.userCode),
      expires_in: codeTtlSeconds,
      interval: pollIntervalSeconds,
    };
  }

  /**
   * The unique index on user_code keeps codes unique among every row still stored (a
   * superset of the live ones); a collision, about one in 2.5e10 per stored row, just
   * draws again.
   */
  private async insertWithFreshUserCode(
    row: DeviceAuthorization,
    details: Record<string, unknown>,
    meta: RequestMeta,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      row.userCode = generateHumanCode();
      try {
        await this.writer.insert(row, {
          action: 'device_flow.init',
          target: { type: 'device_authorization', id: row.id },
          meta,
          details,
        });
        return;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        if (attempt >= INSERT_ATTEMPTS) {
          // Only a nearly full code space (or a broken random source) gets here: say so
          // and let the device retry, rather than fail as an unexplained 500.
          this.logger.error(`no free user code after ${INSERT_ATTEMPTS} draws`);
          throw new ApiException(
            HttpStatus.SERVICE_UNAVAILABLE,
            ErrorCode.ServiceUnavailable,
            'No free pairing code could be drawn just now: try again in a few seconds',
            undefined,
            { 'Retry-After': '5' },
          );
        }
      }
    }
  }

  private async purge(): Promise<void> {
    try {
      const before = new Date(this.clock.nowMs() - RETENTION_MS);
      let removed = 0;
      for (let batch = 0; batch < 10; batch++) {
        const count = await this.authorizations.purgeExpiredBefore(before, 500);
        removed += count;
        if (count < 500) break;
      }
      if (removed > 0) this.logger.log(`purged ${removed} old device authorization requests`);
    } catch (err) {
      this.logger.warn(`device authorization purge failed: ${(err as Error).message}`);
    }
  }
}

function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const code = (err.driverError as { code?: string } | undefined)?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
