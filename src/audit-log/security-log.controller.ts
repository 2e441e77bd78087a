import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, Authenticated } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { CoreScope } from '../auth/scope.registry.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { AuditLogService } from './audit-log.service.js';
import { SecurityLogPageDto, SecurityLogQuery } from './dto/audit-event.dto.js';

@ApiTags('users')
@Controller('api/users/me')
export class SecurityLogController {
  constructor(private readonly log: AuditLogService) {}

  @Get('security-log')
  @Authenticated({ scopes: [CoreScope.MeRead] })
  @ApiOperation({
    summary: 'Your security log',
    description:
      'Everything that happened to your account, newest first: sign-ins and failed sign-ins on your username, tokens, devices, approvals, and what admins did to your account (without their address). Filter by `action` (exact, or a prefix ending in `.`), `outcome`, `since` and `until`.',
  })
  @ApiErrors(400)
  securityLog(
    @Auth() principal: Principal,
    @Query() query: SecurityLogQuery,
  ): Promise<SecurityLogPageDto> {
    return this.log.securityLog(principal, query);
  }
}
