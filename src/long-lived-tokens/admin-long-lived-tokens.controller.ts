import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestMeta } from '../common/request-meta.js';
import { Auth, Authenticated } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { IdParam } from '../common/id-param.dto.js';
import { ReqMeta } from '../common/request-meta.js';
import { AdminLongLivedTokenListQuery } from './dto/long-lived-token-request.dto.js';
import { AdminLongLivedTokenPageDto } from './dto/long-lived-token.dto.js';
import { AdminLongLivedTokensService } from './admin-long-lived-tokens.service.js';

@ApiTags('admin')
@Controller('api/admin/long-lived-tokens')
@Authenticated({ admin: true })
export class AdminLongLivedTokensController {
  constructor(private readonly tokens: AdminLongLivedTokensService) {}

  @Get()
  @ApiOperation({
    summary: "List everyone's long-lived tokens",
    description:
      'Newest first, keyset-paginated; filter by `user_id`, `username`, `scope`, `status`, `last_used_ip` and `q` (name or prefix).',
  })
  @ApiErrors(400)
  list(@Query() query: AdminLongLivedTokenListQuery): Promise<AdminLongLivedTokenPageDto> {
    return this.tokens.list(query);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: "Revoke anyone's long-lived token",
    description: 'Recorded as `long_lived_token.admin_revoke`.',
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
