import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { ApiException } from '../common/errors/api.exception.js';
import { decodeCursor, toPage } from '../common/pagination.js';
import type { RequestMeta } from '../common/request-meta.js';
import { DevicesRepository } from './devices.repository.js';
import { DevicesService } from './devices.service.js';
import {
  AdminDeviceDto,
  type AdminDeviceListQuery,
  type AdminDevicePageDto,
} from './dto/device.dto.js';

/** What admins do with everyone's devices: list them and forget them. */
@Injectable()
export class AdminDevicesService {
  constructor(
    private readonly devices: DevicesRepository,
    private readonly owners: DevicesService,
  ) {}

  async list(query: AdminDeviceListQuery): Promise<AdminDevicePageDto> {
    const limit = query.limit ?? 50;
    const rows = await this.devices.list({
      userId: query.user_id,
      q: query.q,
      after: decodeCursor(query.cursor),
      limit,
    });
    const summaries = await this.owners.summariesOf(rows.slice(0, limit).map((d) => d.id));
    return toPage(rows, limit, (device) =>
      AdminDeviceDto.fromWithOwner(device, summaries.get(device.id)),
    );
  }

  /** Forgets any user's device like its owner would, recorded as `device.admin_delete`. */
  remove(actor: Principal, id: string, meta: RequestMeta): Promise<void> {
    return this.owners.forget(actor, meta, 'device.admin_delete', async (manager) => {
      const device = await this.devices.findById(id, manager);
      if (!device) throw ApiException.notFound('Device');
      return device;
    });
  }
}
