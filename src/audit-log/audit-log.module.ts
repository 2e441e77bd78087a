import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ScheduleModule } from '@nestjs/schedule';
import { ScopeRegistry } from '../auth/scope.registry.js';
import { auditLogConfig } from './audit-log.config.js';
import { AUDIT_SCOPES } from './audit-log.scopes.js';
import { AuditLogService } from './audit-log.service.js';
import { AuditRetentionService } from './audit-retention.service.js';
import { RefusalAuditor } from './refusal-auditor.js';
import { AuditEventsController } from './audit-events.controller.js';
import { SecurityLogController } from './security-log.controller.js';

/**
 * Reading the audit log: the admin search, export and verification (`audit.read`), each
 * user's security log, and retention. Recording stays in core (`src/audit`), inside each
 * change's transaction.
 */
@Module({
  imports: [ConfigModule.forFeature(auditLogConfig), ScheduleModule.forRoot()],
  controllers: [AuditEventsController, SecurityLogController],
  providers: [AuditLogService, AuditRetentionService, RefusalAuditor],
})
export class AuditLogModule {
  constructor(scopes: ScopeRegistry) {
    scopes.registerAll(AUDIT_SCOPES);
  }
}
