import { ApiProperty, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import type { AuditEvent } from '../../audit/audit-event.entity.js';
import type { AuditVerification } from '../../audit/audit.service.js';

const OUTCOMES = ['success', 'failure', 'denied'] as const;

/** The filters of the admin list and the export; all optional, all combined. */
export class AuditEventFilterQuery {
  /** Exact (`auth.login`), or a prefix ending with `.` (`client_token.`). */
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9_.]{1,64}$/, { message: 'action is an action name or a prefix ending in "."' })
  action?: string;

  @IsOptional()
  @IsUUID(undefined, { message: 'actor_user_id must be a user id' })
  actor_user_id?: string;

  /** The token the actor used (session, client or long-lived token id). */
  @IsOptional()
  @IsString()
  @MaxLength(36)
  actor_token_id?: string;

  /** The device the actor's token is bound to. */
  @IsOptional()
  @IsString()
  @MaxLength(36)
  device_id?: string;

  /** `user`, `client_token`, `device`, `device_authorization`, … */
  @IsOptional()
  @IsString()
  @MaxLength(32)
  target_type?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  target_id?: string;

  @ApiProperty({ required: false, enum: OUTCOMES })
  @IsOptional()
  @IsIn(OUTCOMES, { message: 'outcome must be success, failure or denied' })
  outcome?: (typeof OUTCOMES)[number];

  /** The address the request came from, exactly. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  ip?: string;

  /** From this instant (ISO 8601), inclusive. */
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'since must be an ISO 8601 date-time' })
  since?: Date;

  /** Before this instant (ISO 8601), exclusive. */
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'until must be an ISO 8601 date-time' })
  until?: Date;
}

export class AuditEventListQuery extends AuditEventFilterQuery {
  /** Events per page, 1-500. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number = 50;

  /** Opaque; from the previous page's `next_cursor`. */
  @IsOptional()
  @IsString()
  cursor?: string;
}

export class AuditExportQuery extends AuditEventFilterQuery {
  @ApiProperty({ required: false, enum: ['ndjson', 'csv'], default: 'ndjson' })
  @IsOptional()
  @IsIn(['ndjson', 'csv'], { message: 'format must be ndjson or csv' })
  format?: 'ndjson' | 'csv' = 'ndjson';
}

/** The filters a person has over their own log: what happened, how it ended, and when. */
export class SecurityLogQuery extends PickType(AuditEventFilterQuery, [
  'action',
  'outcome',
  'since',
  'until',
] as const) {
  /** Events per page, 1-100. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number = 50;

  /** Opaque; from the previous page's `next_cursor`. */
  @IsOptional()
  @IsString()
  cursor?: string;
}

export class AuditEventIdParam {
  /** The event's position in the chain. */
  @Type(() => Number)
  @IsInt({ message: 'id must be an event number' })
  @Min(1)
  id: number;
}

/** One event of the log: who did what, from where, when, with which token and device. */
export class AuditEventDto {
  /** The event's position in the hash chain. */
  id: number;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ example: 'client_token.revoke' })
  action: string;

  @ApiProperty({ enum: OUTCOMES })
  outcome: string;

  @ApiProperty({ type: String, nullable: true })
  actor_user_id: string | null;

  /** The actor's username as it was when the event was recorded. */
  @ApiProperty({ type: String, nullable: true })
  actor_username: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'session' })
  actor_token_kind: string | null;

  @ApiProperty({ type: String, nullable: true })
  actor_token_id: string | null;

  @ApiProperty({ type: String, nullable: true })
  actor_device_id: string | null;

  @ApiProperty({ type: String, nullable: true })
  target_type: string | null;

  @ApiProperty({ type: String, nullable: true })
  target_id: string | null;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty({ type: String, nullable: true })
  user_agent: string | null;

  /** What helps an investigator; never a secret. */
  @ApiProperty({ type: Object, nullable: true })
  details: Record<string, unknown> | null;

  prev_hash: string;

  hash: string;

  static from(event: AuditEvent): AuditEventDto {
    return {
      id: event.id,
      created_at: new Date(event.createdAt).toISOString(),
      action: event.action,
      outcome: event.outcome,
      actor_user_id: event.actorUserId,
      actor_username: event.actorUsername,
      actor_token_kind: event.actorTokenKind,
      actor_token_id: event.actorTokenId,
      actor_device_id: event.actorDeviceId,
      target_type: event.targetType,
      target_id: event.targetId,
      ip: event.ip,
      user_agent: event.userAgent,
      details: event.details ? (JSON.parse(event.details) as Record<string, unknown>) : null,
      prev_hash: event.prevHash,
      hash: event.hash,
    };
  }
}

export class AuditEventPageDto {
  items: AuditEventDto[];

  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  next_cursor: string | null;
}

/** The signed head: compare it with a copy kept outside the database. */
export class AuditHeadDto {
  first_id: number;
  /** The hash the first kept event links to. */
  first_prev_hash: string;
  last_id: number;
  last_hash: string;
  /** Events kept (last_id - first_id + 1). */
  count: number;
  /** HMAC(AUDIT_KEY) over both ends and the count. */
  @ApiProperty({ type: String, nullable: true })
  signature: string | null;
}

export class AuditVerificationDto {
  ok: boolean;

  /** Events whose links were recomputed. */
  checked: number;

  /** The first event that was edited, removed or moved, when `ok` is false. */
  first_bad_id?: number;

  /** What is wrong, when `ok` is false. */
  reason?: string;

  head: AuditHeadDto;

  static from(result: AuditVerification): AuditVerificationDto {
    const { head } = result;
    return {
      ok: result.ok,
      checked: result.checked,
      ...(result.brokenAt !== undefined ? { first_bad_id: result.brokenAt } : {}),
      ...(result.reason !== undefined ? { reason: result.reason } : {}),
      head: {
        first_id: head.firstId,
        first_prev_hash: head.firstPrevHash,
        last_id: head.lastId,
        last_hash: head.lastHash,
        count: head.count,
        signature: head.signature,
      },
    };
  }
}

/** One event of your security log. Another person's address is never shown. */
export class SecurityLogEventDto {
  id: number;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ example: 'auth.login' })
  action: string;

  @ApiProperty({ enum: OUTCOMES })
  outcome: string;

  /** Who did it: you, or (for an admin's action on your account) that admin. */
  @ApiProperty({ type: String, nullable: true })
  actor_username: string | null;

  @ApiProperty({ type: String, nullable: true })
  actor_token_kind: string | null;

  @ApiProperty({ type: String, nullable: true })
  target_type: string | null;

  @ApiProperty({ type: String, nullable: true })
  target_id: string | null;

  /** Where your request came from; null when someone else acted. */
  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty({ type: String, nullable: true })
  user_agent: string | null;

  @ApiProperty({ type: Object, nullable: true })
  details: Record<string, unknown> | null;
}

export class SecurityLogPageDto {
  items: SecurityLogEventDto[];

  /** Pass as `cursor` to get the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  next_cursor: string | null;
}
