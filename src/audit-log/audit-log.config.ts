import { type ConfigType, registerAs } from '@nestjs/config';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { processEnv, toInt, validateConfig } from '../config/validate-config.js';

/** The audit log's retention and how often its signed head is written to the log. */
export class AuditLogSettings {
  /** Events older than this many days are deleted (in batches, hourly). 0: keep forever. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(36500)
  AUDIT_RETENTION_DAYS = 365;

  /** Every this many minutes, the signed chain head goes to the log. 0: never. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1440)
  AUDIT_HEAD_LOG_MINUTES = 60;
}

export function buildAuditLogConfig(env: Record<string, unknown>) {
  const vars = validateConfig(AuditLogSettings, env);
  return { retentionDays: vars.AUDIT_RETENTION_DAYS, headLogMinutes: vars.AUDIT_HEAD_LOG_MINUTES };
}

export const auditLogConfig = registerAs('auditLog', () => buildAuditLogConfig(processEnv()));

export type AuditLogConfig = ConfigType<typeof auditLogConfig>;
