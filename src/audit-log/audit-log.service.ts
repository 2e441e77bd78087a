import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { AuditEventFilter } from '../audit/audit.repository.js';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { ApiException } from '../common/errors/api.exception.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { csvHeader, csvLine, ndjsonLine } from './audit-export.js';
import {
  AuditEventDto,
  type AuditEventFilterQuery,
  type AuditEventListQuery,
  type AuditEventPageDto,
  AuditVerificationDto,
  type SecurityLogPageDto,
  type SecurityLogQuery,
} from './dto/audit-event.dto.js';

/** The admin API over the audit log, the export, verification and each user's security log. */
@Injectable()
export class AuditLogService {
  constructor(private readonly audit: AuditService) {}

  async list(query: AuditEventListQuery): Promise<AuditEventPageDto> {
    const limit = query.limit ?? 50;
    const rows = await this.audit.list(filterOf(query), decodeEventCursor(query.cursor), limit);
    return page(rows, limit, (event) => AuditEventDto.from(event));
  }

  async get(id: number): Promise<AuditEventDto> {
    const event = await this.audit.find(id);
    if (!event) throw ApiException.notFound('Audit event');
    return AuditEventDto.from(event);
  }

  /**
   * The matching events as NDJSON or CSV, newest first, produced batch by batch as the client
   * reads: memory stays flat, the first bytes leave before the last query, and a client that
   * goes away ends the queries.
   */
  export(query: AuditEventFilterQuery, format: 'ndjson' | 'csv'): Readable {
    const events = this.audit.stream(filterOf(query));
    const line = format === 'csv' ? csvLine : ndjsonLine;
    async function* lines(): AsyncGenerator<string> {
      if (format === 'csv') yield csvHeader();
      for await (const event of events) yield line(event);
    }
    return Readable.from(lines(), { objectMode: false, highWaterMark: 64 * 1024 });
  }

  async verify(): Promise<AuditVerificationDto> {
    return AuditVerificationDto.from(await this.audit.verify());
  }

  /** The events where the caller is the actor or the target; another person's ip is hidden. */
  async securityLog(principal: Principal, query: SecurityLogQuery): Promise<SecurityLogPageDto> {
    const limit = query.limit ?? 50;
    const me = principal.user.id;
    const rows = await this.audit.list(
      {
        involvingUserId: me,
        action: query.action,
        outcome: query.outcome,
        since: query.since,
        until: query.until,
      },
      decodeEventCursor(query.cursor),
      limit,
    );
    return page(rows, limit, (event) => {
      // The admin view without the chain fields and the actor's ids; another person's
      // address and user agent are hidden.
      const {
        actor_user_id: actorId,
        actor_token_id: _token,
        actor_device_id: _device,
        prev_hash: _prev,
        hash: _hash,
        ...shown
      } = AuditEventDto.from(event);
      const mine = actorId === me;
      return {
        ...shown,
        ip: mine ? shown.ip : null,
        user_agent: mine ? shown.user_agent : null,
      };
    });
  }
}

function filterOf(query: AuditEventFilterQuery): AuditEventFilter {
  return {
    action: query.action,
    actorUserId: query.actor_user_id,
    actorTokenId: query.actor_token_id,
    deviceId: query.device_id,
    targetType: query.target_type,
    targetId: query.target_id,
    outcome: query.outcome,
    ip: query.ip,
    since: query.since,
    until: query.until,
  };
}

function page<T extends { id: number }, R>(
  rows: T[],
  limit: number,
  map: (row: T) => R,
): { items: R[]; next_cursor: string | null } {
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  return {
    items: items.map(map),
    next_cursor: more ? Buffer.from(`e${items[items.length - 1].id}`).toString('base64url') : null,
  };
}

/** Audit cursors are event ids (the chain order is the time order). */
function decodeEventCursor(cursor: string | undefined): number | undefined {
  if (!cursor) return undefined;
  const match = /^e([1-9][0-9]{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) {
    throw ApiException.badRequest(
      ErrorCode.ValidationFailed,
      'cursor is not one this API returned',
    );
  }
  return Number(match[1]);
}
