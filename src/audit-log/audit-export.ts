import type { AuditEvent } from '../audit/audit-event.entity.js';
import { AuditEventDto } from './dto/audit-event.dto.js';

export const CSV_COLUMNS = [
  'id',
  'created_at',
  'action',
  'outcome',
  'actor_user_id',
  'actor_username',
  'actor_token_kind',
  'actor_token_id',
  'actor_device_id',
  'target_type',
  'target_id',
  'ip',
  'user_agent',
  'details',
  'prev_hash',
  'hash',
] as const;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break, and
 * prefixed with `'` when a spreadsheet would read it as a formula (`=`, `+`, `-`, `@`, or a
 * tab or carriage return first), so an attacker-chosen user agent cannot run in Excel.
 */
export function csvCell(value: string | number | Record<string, unknown> | null): string {
  if (value === null) return '';
  let text =
    typeof value === 'string'
      ? value
      : typeof value === 'number'
        ? `${value}`
        : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvLine(event: AuditEvent): string {
  const dto = AuditEventDto.from(event);
  return `${CSV_COLUMNS.map((column) => csvCell(dto[column])).join(',')}\r\n`;
}

export function ndjsonLine(event: AuditEvent): string {
  return `${JSON.stringify(AuditEventDto.from(event))}\n`;
}
