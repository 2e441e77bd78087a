import { Global, Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository.js';
import { AuditSealer } from './audit-sealer.js';
import { AuditService } from './audit.service.js';

@Global()
@Module({ providers: [AuditRepository, AuditSealer, AuditService], exports: [AuditService] })
export class AuditModule {}
