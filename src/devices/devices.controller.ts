import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestMeta } from '../common/request-meta.js';
import { Auth, Authenticated } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { IdParam } from '../common/id-param.dto.js';
import { ReqMeta } from '../common/request-meta.js';
import { DevicesService } from './devices.service.js';
import { DeviceDto, DeviceListQuery, DevicePageDto, UpdateDeviceDto } from './dto/device.dto.js';
import { CoreScope } from '../auth/scope.registry.js';

@ApiTags('devices')
@Controller('api/devices')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Get()
  @Authenticated({ scopes: [CoreScope.DevicesRead] })
  @ApiOperation({
    summary: 'List your devices',
    description:
      'Newest first, keyset-paginated; `q` searches the name and the identifier. Each device carries how many live tokens are bound to it and when one was last used.',
  })
  @ApiErrors(400)
  list(@Auth() principal: Principal, @Query() query: DeviceListQuery): Promise<DevicePageDto> {
    return this.devices.list(principal, query);
  }

  @Get('current')
  @Authenticated({ scopes: [CoreScope.DevicesRead] })
  @ApiOperation({
    summary: 'The device this token is bound to',
    description:
      'For a device-bound client token: its own device, without knowing its id. 404 for a token bound to no device.',
  })
  @ApiErrors(404)
  current(@Auth() principal: Principal): Promise<DeviceDto> {
    return this.devices.current(principal);
  }

  @Get(':id')
  @Authenticated({ scopes: [CoreScope.DevicesRead] })
  @ApiOperation({
    summary: 'Get one of your devices',
    description: "Another user's device is 404.",
  })
  @ApiErrors(400, 404)
  get(@Auth() principal: Principal, @Param() { id }: IdParam): Promise<DeviceDto> {
    return this.devices.get(principal, id);
  }

  @Patch(':id')
  @Authenticated({ scopes: [CoreScope.DevicesWrite] })
  @ApiOperation({
    summary: 'Rename a device',
    description: 'The new name is kept when the device pairs again.',
  })
  @ApiErrors(400, 404)
  rename(
    @Auth() principal: Principal,
    @Param() { id }: IdParam,
    @Body() dto: UpdateDeviceDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<DeviceDto> {
    return this.devices.rename(principal, id, dto, meta);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ scopes: [CoreScope.DevicesWrite] })
  @ApiOperation({
    summary: 'Forget a device',
    description:
      'Deletes the device and revokes every token bound to it, in one transaction; those tokens fail on their next request.',
  })
  @ApiErrors(400, 404)
  remove(
    @Auth() principal: Principal,
    @Param() { id }: IdParam,
    @ReqMeta() meta: RequestMeta,
  ): Promise<void> {
    return this.devices.remove(principal, id, meta);
  }
}
