/**
 * `npm run audit:verify`: recomputes the audit log's hash chain and checks its signed head,
 * against DATABASE_URL with AUDIT_KEY (from the environment, or the data directory's
 * generated secrets, as the server reads them). Prints the answer as JSON; exits 0 when the
 * log verifies, 1 when it does not, 2 when it cannot run. For an operator or a cron job.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AuditRepository } from '../src/audit/audit.repository.js';
import { AuditSealer } from '../src/audit/audit-sealer.js';
import { AuditService } from '../src/audit/audit.service.js';
import { AuditVerificationDto } from '../src/audit-log/dto/audit-event.dto.js';
import { Clock } from '../src/common/clock.js';
import { Transactions } from '../src/common/database/transactions.js';
import { Metrics } from '../src/common/metrics/metrics.js';
import { buildAppConfig } from '../src/config/app.config.js';
import { buildDataSourceOptions } from '../src/config/database-options.js';
import { validateEnvironment } from '../src/config/environment.js';
import { SCHEMA } from '../src/schema.js';

async function main(): Promise<number> {
  const config = buildAppConfig(validateEnvironment(process.env as Record<string, unknown>));
  const dataSource = await new DataSource(
    buildDataSourceOptions(config.database.url, SCHEMA),
  ).initialize();
  try {
    const events = new AuditRepository(dataSource);
    const transactions = new Transactions(dataSource);
    const clock = new Clock();
    const audit = new AuditService(
      events,
      new AuditSealer(events, transactions, clock, config),
      transactions,
      clock,
      new Metrics(),
      config,
    );
    // Reads only: events the service has committed but not sealed yet are not checked.
    const result = await audit.verify({ seal: false });
    // The same answer as GET /api/admin/audit-events/verify.
    console.log(JSON.stringify(AuditVerificationDto.from(result), null, 2));
    return result.ok ? 0 : 1;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`audit:verify could not run: ${(err as Error).message}`);
    process.exit(2);
  },
);
