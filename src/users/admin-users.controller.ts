import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestMeta } from '../common/request-meta.js';
import { Auth, Authenticated } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { IdParam } from '../common/id-param.dto.js';
import { ReqMeta } from '../common/request-meta.js';
import { CreateUserDto, UpdateUserDto, UserListQuery } from './dto/admin-user.dto.js';
import { UserDto, UserPageDto } from './dto/user.dto.js';
import { AdminUsersService } from './admin-users.service.js';

@ApiTags('admin')
@Controller('api/admin/users')
@Authenticated({ admin: true })
export class AdminUsersController {
  constructor(private readonly users: AdminUsersService) {}

  @Get()
  @ApiOperation({
    summary: 'List users',
    description: 'Newest first, keyset-paginated; filter by `q` and `role`.',
  })
  @ApiErrors(400)
  list(@Query() query: UserListQuery): Promise<UserPageDto> {
    return this.users.list(query);
  }

  @Post()
  @Authenticated({ admin: true, session: true })
  @ApiOperation({ summary: 'Create a user' })
  @ApiErrors(400, 409)
  create(
    @Auth() principal: Principal,
    @Body() dto: CreateUserDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<UserDto> {
    return this.users.create(principal, dto, meta);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a user' })
  @ApiErrors(400, 404)
  get(@Param() { id }: IdParam): Promise<UserDto> {
    return this.users.get(id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: "Change a user's role or disable them",
    description:
      "Takes effect on the user's very next request: a disabled user's tokens all fail, a demoted admin loses `admin` on every token.",
  })
  @ApiErrors(400, 404)
  update(
    @Auth() principal: Principal,
    @Param() { id }: IdParam,
    @Body() dto: UpdateUserDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<UserDto> {
    return this.users.update(principal, id, dto, meta);
  }

  @Post(':id/revoke-tokens')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke every session and token of a user' })
  @ApiErrors(400, 404)
  revokeTokens(
    @Auth() principal: Principal,
    @Param() { id }: IdParam,
    @ReqMeta() meta: RequestMeta,
  ): Promise<{ revoked: number }> {
    return this.users.revokeAllTokens(principal, id, meta);
  }
}
