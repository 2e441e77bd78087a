import { Module } from '@nestjs/common';
import { AdminDevicesController } from './admin-devices.controller.js';
import { AdminDevicesService } from './admin-devices.service.js';
import { DevicesController } from './devices.controller.js';
import { DevicesRepository } from './devices.repository.js';
import { DevicesService } from './devices.service.js';

/** Devices and the owner's device endpoints. The client-tokens module builds on it. */
@Module({
  controllers: [DevicesController, AdminDevicesController],
  providers: [DevicesRepository, DevicesService, AdminDevicesService],
  exports: [DevicesService],
})
export class DevicesModule {}
