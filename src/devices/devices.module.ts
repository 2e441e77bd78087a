import { Module } from '@nestjs/common';
import { AdminDevicesController } from './admin-devices.controller.js';
import { DevicesController } from './devices.controller.js';
import { DevicesRepository } from './devices.repository.js';
import { DevicesService } from './devices.service.js';

/** Devices and the owner's device endpoints. The client-tokens module builds on it. */
@Module({
  controllers: [DevicesController, AdminDevicesController],
  providers: [DevicesRepository, DevicesService],
  exports: [DevicesService],
})
export class DevicesModule {}
