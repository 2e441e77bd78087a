import { Body, Controller, Get, HttpCode, Patch } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestMeta } from '../common/request-meta.js';
import { Auth, Authenticated } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { ReqMeta } from '../common/request-meta.js';
import { ChangePasswordDto, MeDto } from './dto/me.dto.js';
import { UsersService } from './users.service.js';
import { CoreScope } from '../auth/scope.registry.js';

@ApiTags('users')
@Controller('api/users/me')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Authenticated({ scopes: [CoreScope.MeRead] })
  @ApiOperation({
    summary: 'Who am I',
    description:
      'The user behind the token, the token kind and id, its effective scopes and its bound device.',
  })
  me(@Auth() principal: Principal): MeDto {
    return {
      id: principal.user.id,
      username: principal.user.username,
      email: principal.user.email,
      role: principal.user.role,
      scopes: principal.scopes,
      token_kind: principal.kind,
      token_id: principal.tokenId,
      current_device_id: principal.deviceId,
    };
  }

  @Patch('password')
  @Authenticated({ scopes: [CoreScope.MeWrite], session: true })
  @HttpCode(204)
  @ApiOperation({
    summary: 'Change your password',
    description: 'Needs a login session. Signs out every other session of yours.',
  })
  @ApiErrors(400, 429)
  changePassword(
    @Auth() principal: Principal,
    @Body() dto: ChangePasswordDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<void> {
    return this.users.changePassword(principal, dto.current_password, dto.new_password, meta);
  }
}
