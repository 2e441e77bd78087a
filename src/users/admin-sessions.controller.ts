import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, Authenticated } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { IdParam } from '../common/id-param.dto.js';
import type { RequestMeta } from '../common/request-meta.js';
import { ReqMeta } from '../common/request-meta.js';
import { AdminSessionListQuery, AdminSessionPageDto } from './dto/session.dto.js';
import { SessionListService } from './session-list.service.js';

@ApiTags('admin')
@Controller('api/admin/sessions')
@Authenticated({ admin: true })
export class AdminSessionsController {
  constructor(private readonly sessions: SessionListService) {}

  @Get()
  @ApiOperation({
    summary: "List every user's login sessions",
    description:
      'Live sessions, newest first, keyset-paginated; filter by `user_id` and `q` (user agent or last address). Rows carry the owner.',
  })
  @ApiErrors(400)
  list(
    @Auth() principal: Principal,
    @Query() query: AdminSessionListQuery,
  ): Promise<AdminSessionPageDto> {
    return this.sessions.list(principal, query);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: "End any user's login session",
    description: 'The session stops working at once; recorded as `session.admin_revoke`.',
  })
  @ApiErrors(400, 404)
  revoke(
    @Auth() principal: Principal,
    @Param() { id }: IdParam,
    @ReqMeta() meta: RequestMeta,
  ): Promise<void> {
    return this.sessions.revokeAny(principal, id, meta);
  }
}
