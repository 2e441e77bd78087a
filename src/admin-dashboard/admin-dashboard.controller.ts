import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/auth.decorators.js';
import { AdminDashboardService } from './admin-dashboard.service.js';
import { DashboardDto } from './dto/dashboard.dto.js';

@ApiTags('admin')
@Controller('api/admin/dashboard')
@Authenticated({ admin: true })
export class AdminDashboardController {
  constructor(private readonly dashboard: AdminDashboardService) {}

  @Get()
  @ApiOperation({
    summary: 'The admin dashboard',
    description:
      'Users, live tokens of each kind, devices, pending device authorizations, and the audit events and refused sign-ins of the last 24 hours.',
  })
  get(): Promise<DashboardDto> {
    return this.dashboard.dashboard();
  }
}
