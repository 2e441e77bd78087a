import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { Cron, CronExpression, SchedulerRegistry } from '@nestjs/schedule';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { auditLogConfig, type AuditLogConfig } from './audit-log.config.js';

const DAY_MS = 86_400_000;

/**
 * AUDIT_RETENTION_DAYS: every hour, events older than that are deleted in batches and the
 * signed start of the log moves past them (AuditService.prune, which locks the chain head,
 * so with several instances one prunes at a time and the others find nothing left). Every
 * AUDIT_HEAD_LOG_MINUTES the signed head is written to the log, for an operator to keep.
 */
@Injectable()
export class AuditRetentionService implements OnModuleInit {
  private readonly logger = new Logger('AuditRetention');

  constructor(
    private readonly audit: AuditService,
    private readonly schedule: SchedulerRegistry,
    private readonly clock: Clock,
    @Inject(auditLogConfig.KEY) private readonly config: AuditLogConfig,
  ) {}

  onModuleInit(): void {
    if (this.config.headLogMinutes === 0) return;
    const timer = setInterval(() => void this.logHead(), this.config.headLogMinutes * 60_000);
    timer.unref();
    this.schedule.addInterval('audit-head-log', timer);
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'audit-retention' })
  async pruneOnSchedule(): Promise<void> {
    try {
      await this.prune();
    } catch (err) {
      this.logger.warn(`audit retention failed: ${(err as Error).message}`);
    }
  }

  /** Deletes what retention allows now; returns how many events went. */
  async prune(): Promise<number> {
    if (this.config.retentionDays === 0) return 0;
    const before = new Date(this.clock.nowMs() - this.config.retentionDays * DAY_MS);
    const { deleted, head } = await this.audit.prune(before);
    if (deleted > 0) {
      this.logger.log({ deleted, head }, `audit retention deleted ${deleted} events`);
    }
    return deleted;
  }

  async logHead(): Promise<void> {
    try {
      this.logger.log({ head: await this.audit.head() }, 'audit chain head');
    } catch (err) {
      this.logger.warn(`could not read the audit chain head: ${(err as Error).message}`);
    }
  }
}
