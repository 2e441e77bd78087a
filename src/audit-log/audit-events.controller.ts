import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated } from '../auth/auth.decorators.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { AuditScope } from './audit-log.scopes.js';
import { AuditLogService } from './audit-log.service.js';
import {
  AuditEventDto,
  AuditEventIdParam,
  AuditEventListQuery,
  AuditEventPageDto,
  AuditExportQuery,
  AuditVerificationDto,
} from './dto/audit-event.dto.js';

/**
 * The audit log for admins: read, filter, export, verify. Every route needs `audit.read`,
 * an admin-only scope of its own, so a client token holding only it reads the log and can
 * do nothing else.
 */
@ApiTags('admin')
@Controller('api/admin/audit-events')
@Authenticated({ scopes: [AuditScope.Read] })
export class AuditEventsController {
  constructor(private readonly log: AuditLogService) {}

  @Get()
  @ApiOperation({
    summary: 'Search the audit log',
    description:
      'Newest first, keyset-paginated (`limit` up to 500). Filters combine: `action` (exact, or a prefix ending in `.` such as `client_token.`), `actor_user_id`, `actor_token_id`, `device_id`, `target_type`, `target_id`, `outcome`, `ip`, `since`, `until`. Each event names its actor as they were at the time.',
  })
  @ApiErrors(400)
  list(@Query() query: AuditEventListQuery): Promise<AuditEventPageDto> {
    return this.log.list(query);
  }

  @Get('export')
  @ApiOperation({
    summary: 'Export the audit log',
    description:
      "Every event matching the same filters as the search, newest first, as NDJSON (one event per line, the search's shape) or CSV (formula-injection safe), streamed as it is read from the database.",
  })
  @ApiProduces('application/x-ndjson', 'text/csv')
  @ApiOkResponse({ description: 'The events, streamed', schema: { type: 'string' } })
  @ApiErrors(400)
  export(
    @Query() query: AuditExportQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): StreamableFile {
    const format = query.format ?? 'ndjson';
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    void reply
      .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="pairgate-audit-${stamp}.${format}"`);
    return new StreamableFile(this.log.export(query, format));
  }

  @Get('verify')
  @ApiOperation({
    summary: 'Verify the hash chain',
    description:
      "Recomputes every kept event's link with AUDIT_KEY and checks the signed head: `ok`, how many were `checked`, and on failure the `first_bad_id` and the `reason`. The signed `head` is in every answer: keep a copy outside the database and compare.",
  })
  verify(): Promise<AuditVerificationDto> {
    return this.log.verify();
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one audit event' })
  @ApiErrors(400, 404)
  get(@Param() { id }: AuditEventIdParam): Promise<AuditEventDto> {
    return this.log.get(id);
  }
}
