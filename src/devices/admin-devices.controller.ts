import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestMeta } from '../common/request-meta.js';
import { Auth, Authenticated } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { IdParam } from '../common/id-param.dto.js';
import { ReqMeta } from '../common/request-meta.js';
import { AdminDevicesService } from './admin-devices.service.js';
import { AdminDeviceListQuery, AdminDevicePageDto } from './dto/device.dto.js';

@ApiTags('admin')
@Controller('api/admin/devices')
@Authenticated({ admin: true })
export class AdminDevicesController {
  constructor(private readonly devices: AdminDevicesService) {}

  @Get()
  @ApiOperation({
    summary: "List every user's devices",
    description:
      'Newest first, keyset-paginated; filter by `user_id` and `q` (name or identifier). Rows carry the owner.',
  })
  @ApiErrors(400)
  list(@Query() query: AdminDeviceListQuery): Promise<AdminDevicePageDto> {
    return this.devices.list(query);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: "Forget any user's device",
    description:
      'Deletes the device and revokes every token bound to it, in one transaction; recorded as `device.admin_delete`.',
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
