import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, Authenticated } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { CoreScope } from '../auth/scope.registry.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { IdParam } from '../common/id-param.dto.js';
import type { RequestMeta } from '../common/request-meta.js';
import { ReqMeta } from '../common/request-meta.js';
import { SessionListQuery, SessionPageDto } from './dto/session.dto.js';
import { SessionListService } from './session-list.service.js';

@ApiTags('users')
@Controller('api/users/me/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionListService) {}

  @Get()
  @Authenticated({ scopes: [CoreScope.MeRead] })
  @ApiOperation({
    summary: 'Your login sessions',
    description:
      'Live sessions (not revoked, not expired), newest first; `current` marks this one. `q` searches the browser (user agent) and the last address.',
  })
  @ApiErrors(400)
  list(@Auth() principal: Principal, @Query() query: SessionListQuery): Promise<SessionPageDto> {
    return this.sessions.listMine(principal, query);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ scopes: [CoreScope.MeWrite], session: true })
  @ApiOperation({
    summary: 'End one of your login sessions',
    description:
      'Needs a login session. The session stops working at once; recorded as `session.revoke`.',
  })
  @ApiErrors(400, 404)
  revoke(
    @Auth() principal: Principal,
    @Param() { id }: IdParam,
    @ReqMeta() meta: RequestMeta,
  ): Promise<void> {
    return this.sessions.revokeMine(principal, id, meta);
  }
}
