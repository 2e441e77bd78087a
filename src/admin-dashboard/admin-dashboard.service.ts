import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { TokenKindRegistry } from '../auth/token-kind.registry.js';
import { Clock } from '../common/clock.js';
import { DeviceAuthorizationService } from '../device-flow/device-authorization.service.js';
import { DevicesService } from '../devices/devices.service.js';
import { UsersService } from '../users/users.service.js';
import type { DashboardDto } from './dto/dashboard.dto.js';

const DAY_MS = 24 * 3600 * 1000;

/** Counts each module keeps about itself, asked through their services, in parallel. */
@Injectable()
export class AdminDashboardService {
  constructor(
    private readonly users: UsersService,
    private readonly devices: DevicesService,
    private readonly authorizations: DeviceAuthorizationService,
    private readonly kinds: TokenKindRegistry,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async dashboard(): Promise<DashboardDto> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - DAY_MS);
    const counted = this.kinds.all().filter((kind) => kind.countActive !== undefined);
    const [users, tokenCounts, devices, pending, events, failedLogins] = await Promise.all([
      this.users.countByState(),
      Promise.all(counted.map((kind) => kind.countActive!(now))),
      this.devices.count(),
      this.authorizations.countPending(),
      this.audit.count({ since }),
      this.audit.count({ since, action: 'auth.login', outcome: 'failure' }),
    ]);
    return {
      users,
      active_tokens: counted.map((kind, i) => ({ kind: kind.kind, active: tokenCounts[i]! })),
      devices,
      pending_device_authorizations: pending,
      events_last_24h: events,
      failed_logins_last_24h: failedLogins,
      generated_at: now.toISOString(),
    };
  }
}
