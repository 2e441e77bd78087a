import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TokenCodec } from '../auth/token-codec.js';
import { Clock } from '../common/clock.js';
import type { DeviceTokenSummary } from '../devices/dto/device.dto.js';
import { DevicesService } from '../devices/devices.service.js';
import { ClientTokenPolicy } from './client-token.policy.js';
import { ClientTokensRepository } from './client-tokens.repository.js';
import { ClientTokenDto } from './dto/client-token.dto.js';
import { newClientToken } from './new-client-token.js';

export interface DeviceTokenMintInput {
  userId: string;
  device: {
    clientDeviceIdentifier: string;
    name?: string | null;
    client?: string | null;
    platform?: string | null;
    clientVersion?: string | null;
  };
  /** The token's name. */
  name: string;
  /** Already validated by the caller. */
  scopes: string[];
  /** Null: never (still clamped by the policy). */
  expiresAt: Date | null;
}

export interface MintedDeviceToken {
  raw: string;
  tokenId: string;
  deviceId: string;
  expiresAt: Date | null;
  scopes: string[];
  /** The device's earlier tokens, revoked in the same transaction: one live token per device. */
  supersededTokenIds: string[];
}

/**
 * Client tokens bound to devices: what the device flow mints and revokes inside its own
 * transactions, and what the devices module asks about (active tokens, last use; revoke
 * on forget). Records no audit event: the caller records its own.
 */
@Injectable()
export class DeviceTokensService implements OnModuleInit {
  constructor(
    private readonly tokens: ClientTokensRepository,
    private readonly policy: ClientTokenPolicy,
    private readonly codec: TokenCodec,
    private readonly devices: DevicesService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.devices.onForget((manager, deviceId, now) =>
      this.tokens.revokeAllForDevice(manager, deviceId, now),
    );
    this.devices.useTokenSummaries((deviceIds) => this.summarize(deviceIds));
  }

  /**
   * Creates or reuses the Device `(userId, clientDeviceIdentifier)` and mints a token bound
   * to it, revoking the device's earlier tokens, inside the caller's transaction.
   */
  async mintForDevice(
    manager: EntityManager,
    input: DeviceTokenMintInput,
  ): Promise<MintedDeviceToken> {
    const now = this.clock.now();
    const scopes = [...new Set(input.scopes)];
    const expiresAt = this.policy.clampExpiry(input.expiresAt, scopes, now);
    const device = await this.devices.findOrCreate(manager, input.userId, input.device);
    // Pairing the same device again replaces its token: one live token per device.
    const supersededTokenIds = await this.tokens.revokeAllForDevice(manager, device.id, now);
    const { token, raw } = newClientToken(
      this.codec.issue('c'),
      { userId: input.userId, deviceId: device.id, name: input.name, scopes, expiresAt },
      now,
    );
    await this.tokens.insert(manager, token);
    return { raw, tokenId: token.id, deviceId: device.id, expiresAt, scopes, supersededTokenIds };
  }

  /**
   * The expiry a token with these scopes would get (null: never), by the client-token
   * policy: what approve tells the person is what the device's token gets.
   */
  clampExpiry(requested: Date | null, scopes: readonly string[], now: Date): Date | null {
    return this.policy.clampExpiry(requested, scopes, now);
  }

  /** The live client token behind a raw secret (wrong shape, unknown or dead: null). */
  async findLive(
    raw: string,
  ): Promise<{ id: string; userId: string; deviceId: string | null } | null> {
    if (this.codec.kindOf(raw) !== 'c') return null;
    const token = await this.tokens.findActiveByHash(this.codec.hash(raw), this.clock.now());
    return token ? { id: token.id, userId: token.userId, deviceId: token.deviceId } : null;
  }

  /** Returns whether this call revoked it; the caller evicts from PrincipalCache after commit. */
  revokeInTransaction(manager: EntityManager, tokenId: string, now: Date): Promise<boolean> {
    return this.tokens.revoke(manager, tokenId, now);
  }

  private async summarize(deviceIds: string[]): Promise<Map<string, DeviceTokenSummary>> {
    const now = this.clock.now();
    const summaries = new Map<string, DeviceTokenSummary>();
    for (const token of await this.tokens.findForDevices(deviceIds)) {
      const summary = summaries.get(token.deviceId!) ?? { activeTokens: 0, lastUsedAt: null };
      if (ClientTokenDto.statusOf(token, now) === 'active') summary.activeTokens++;
      if (token.lastUsedAt && (!summary.lastUsedAt || token.lastUsedAt > summary.lastUsedAt)) {
        summary.lastUsedAt = token.lastUsedAt;
      }
      summaries.set(token.deviceId!, summary);
    }
    return summaries;
  }
}
