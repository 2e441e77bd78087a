import { Module } from '@nestjs/common';
import { DeviceFlowModule } from '../device-flow/device-flow.module.js';
import { DevicesModule } from '../devices/devices.module.js';
import { UsersModule } from '../users/users.module.js';
import { AdminDashboardController } from './admin-dashboard.controller.js';
import { AdminDashboardService } from './admin-dashboard.service.js';

/** The admin console's overview: counts each module gives about itself. */
@Module({
  imports: [UsersModule, DevicesModule, DeviceFlowModule],
  controllers: [AdminDashboardController],
  providers: [AdminDashboardService],
})
export class AdminDashboardModule {}
