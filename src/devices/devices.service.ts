import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { RequestMeta } from '../common/request-meta.js';
import { ActivityRecorder } from '../auth/activity-recorder.js';
import type { Principal } from '../auth/principal.js';
import { PrincipalCache } from '../auth/principal-cache.js';
import { Clock } from '../common/clock.js';
import { Transactions } from '../common/database/transactions.js';
import { ApiException } from '../common/errors/api.exception.js';
import { decodeCursor, toPage } from '../common/pagination.js';
import type { Device } from './device.entity.js';
import { type DeviceDescription, DevicesRepository } from './devices.repository.js';
import {
  DeviceDto,
  type DeviceListQuery,
  type DevicePageDto,
  type DeviceTokenSummary,
  type UpdateDeviceDto,
} from './dto/device.dto.js';

/** Revokes every token bound to a device that is being forgotten; returns their ids. */
export type DeviceForgetHook = (
  manager: EntityManager,
  deviceId: string,
  now: Date,
) => Promise<string[]>;

/** Counts the live tokens bound to each device, and their latest use. */
export type DeviceTokenSummaries = (
  deviceIds: string[],
) => Promise<Map<string, DeviceTokenSummary>>;

/**
 * Devices a user paired. Tokens are another module's business: the client-tokens module plugs
 * in how to summarise and revoke a device's tokens, so this module depends on nothing but the
 * shared layers (and there is no import cycle).
 */
@Injectable()
export class DevicesService implements OnModuleInit {
  private readonly forgetHooks: DeviceForgetHook[] = [];
  private summaries: DeviceTokenSummaries = () => Promise.resolve(new Map());

  constructor(
    private readonly devices: DevicesRepository,
    private readonly activity: ActivityRecorder,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly cache: PrincipalCache,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.activity.useDeviceToucher((id, now, threshold) => this.devices.touch(id, now, threshold));
  }

  onForget(hook: DeviceForgetHook): void {
    this.forgetHooks.push(hook);
  }

  useTokenSummaries(summaries: DeviceTokenSummaries): void {
    this.summaries = summaries;
  }

  /**
   * Creates or reuses the device `(userId, clientDeviceIdentifier)` inside the caller's
   * transaction. A reused device keeps the name its owner gave it and takes the app details
   * the device reports now.
   */
  async findOrCreate(
    manager: EntityManager,
    userId: string,
    description: DeviceDescription,
  ): Promise<Device> {
    const { device, created } = await this.devices.findOrCreate(
      manager,
      userId,
      description,
      DevicesService.defaultName(description),
      this.clock.now(),
    );
    if (!created) {
      const patch = {
        client: description.client ?? device.client,
        platform: description.platform ?? device.platform,
        clientVersion: description.clientVersion ?? device.clientVersion,
      };
      if (
        patch.client !== device.client ||
        patch.platform !== device.platform ||
        patch.clientVersion !== device.clientVersion
      ) {
        await this.devices.refreshDescription(manager, device.id, patch);
        Object.assign(device, patch);
      }
    }
    return device;
  }

  /** Every user's devices (the admin dashboard). */
  count(): Promise<number> {
    return this.devices.count();
  }

  async list(principal: Principal, query: DeviceListQuery): Promise<DevicePageDto> {
    const limit = query.limit ?? 50;
    const rows = await this.devices.list({
      userId: principal.user.id,
      q: query.q,
      after: decodeCursor(query.cursor),
      limit,
    });
    const summaries = await this.summaries(rows.slice(0, limit).map((d) => d.id));
    return toPage(rows, limit, (device) => DeviceDto.from(device, summaries.get(device.id)));
  }

  async get(principal: Principal, id: string): Promise<DeviceDto> {
    return this.withSummary(await this.findOwnedOrFail(principal, id));
  }

  /** The device the calling token is bound to: a device never needs to know its own id. */
  async current(principal: Principal): Promise<DeviceDto> {
    if (!principal.deviceId) {
      throw ApiException.notFound('This token is not bound to a device, so its device');
    }
    return this.get(principal, principal.deviceId);
  }

  async rename(
    principal: Principal,
    id: string,
    dto: UpdateDeviceDto,
    meta: RequestMeta,
  ): Promise<DeviceDto> {
    const device = await this.transactions.run(async (manager) => {
      const device = await this.findOwnedOrFail(principal, id, manager);
      if (device.name === dto.name) return device;
      await this.devices.rename(manager, id, dto.name);
      await this.audit.record(manager, {
        action: 'device.rename',
        actor: principal,
        target: { type: 'device', id },
        meta,
        details: { from: device.name, to: dto.name },
      });
      return Object.assign(device, { name: dto.name });
    });
    return this.withSummary(device);
  }

  /** Forgets the device and revokes every token bound to it, in one transaction. */
  remove(principal: Principal, id: string, meta: RequestMeta): Promise<void> {
    return this.forget(principal, meta, 'device.delete', (manager) =>
      this.findOwnedOrFail(principal, id, manager),
    );
  }

  /**
   * Forgets a device and revokes every token bound to it, in one transaction with its
   * audit event; `find` picks the device (the owner's, or any for an admin).
   */
  async forget(
    actor: Principal,
    meta: RequestMeta,
    action: string,
    find: (manager: EntityManager) => Promise<Device>,
  ): Promise<void> {
    const now = this.clock.now();
    const revoked = await this.transactions.run(async (manager) => {
      const device = await find(manager);
      const tokenIds: string[] = [];
      for (const hook of this.forgetHooks) {
        tokenIds.push(...(await hook(manager, device.id, now)));
      }
      await this.devices.delete(manager, device.id);
      await this.audit.record(manager, {
        action,
        actor,
        target: { type: 'device', id: device.id },
        meta,
        details: {
          user_id: device.userId,
          name: device.name,
          client_device_identifier: device.clientDeviceIdentifier,
          revoked_token_ids: tokenIds,
        },
      });
      return tokenIds;
    });
    await this.cache.evict({ tokenIds: revoked });
  }

  /** The live tokens bound to each device, and their latest use. */
  summariesOf(deviceIds: string[]): Promise<Map<string, DeviceTokenSummary>> {
    return this.summaries(deviceIds);
  }

  private async withSummary(device: Device): Promise<DeviceDto> {
    const summaries = await this.summaries([device.id]);
    return DeviceDto.from(device, summaries.get(device.id));
  }

  private async findOwnedOrFail(
    principal: Principal,
    id: string,
    manager?: EntityManager,
  ): Promise<Device> {
    // Another user's device is "not found", never "forbidden": no existence oracle.
    const device = await this.devices.findOwned(principal.user.id, id, manager);
    if (!device) throw ApiException.notFound('Device');
    return device;
  }

  /** "Living room TV" if the device named itself, else "Playnite on android-tv", and so on. */
  static defaultName(description: DeviceDescription): string {
    const name =
      description.name?.trim() ||
      [description.client?.trim(), description.platform?.trim()].filter(Boolean).join(' on ') ||
      'Unnamed device';
    return name.slice(0, 100);
  }
}
