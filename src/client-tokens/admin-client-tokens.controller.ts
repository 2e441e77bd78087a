import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestMeta } from '../common/request-meta.js';
import { Auth, Authenticated } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { IdParam } from '../common/id-param.dto.js';
import { ReqMeta } from '../common/request-meta.js';
import { AdminClientTokensService } from './admin-client-tokens.service.js';
import { AdminClientTokenListQuery } from './dto/client-token-request.dto.js';
import { AdminClientTokenDto, AdminClientTokenPageDto } from './dto/client-token.dto.js';

@ApiTags('admin')
@Controller('api/admin/client-tokens')
@Authenticated({ admin: true })
export class AdminClientTokensController {
  constructor(private readonly tokens: AdminClientTokensService) {}

  @Get()
  @ApiOperation({
    summary: "List every user's client tokens",
    description:
      'Newest first, keyset-paginated; filter by `user_id`, `status` (active, revoked, expired), `device_id` ' +
      'and `q` (name or prefix). Rows carry the owner and the last IP.',
  })
  @ApiErrors(400)
  list(@Query() query: AdminClientTokenListQuery): Promise<AdminClientTokenPageDto> {
    return this.tokens.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get any client token' })
  @ApiErrors(400, 404)
  get(@Param() { id }: IdParam): Promise<AdminClientTokenDto> {
    return this.tokens.get(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: "Revoke any user's client token",
    description:
      'Recorded as `client_token.admin_revoke`; the token fails on its very next request.',
  })
  @ApiErrors(400, 404)
  revoke(
    @Auth() principal: Principal,
    @Param() { id }: IdParam,
    @ReqMeta() meta: RequestMeta,
  ): Promise<void> {
    return this.tokens.revoke(principal, id, meta);
  }
}
