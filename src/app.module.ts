import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { AdminDashboardModule } from './admin-dashboard/admin-dashboard.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuditLogModule } from './audit-log/audit-log.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CamerasModule } from './cameras/cameras.module.js';
import { ConsoleModule } from './console/console.module.js';
import { DatabaseModule } from './common/database/database.module.js';
import { MetricsInstrumentsModule } from './common/metrics/metrics.js';
import { RateLimitModule } from './common/rate-limit/rate-limit.module.js';
import { RedisModule } from './common/redis/redis.module.js';
import { appConfig } from './config/app.config.js';
import { nestLoggerOptions } from './config/logger-options.js';
import { ClientTokensModule } from './client-tokens/client-tokens.module.js';
import { DeviceFlowModule } from './device-flow/device-flow.module.js';
import { DevicesModule } from './devices/devices.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { LongLivedTokensModule } from './long-lived-tokens/long-lived-tokens.module.js';
import { SCHEMA } from './schema.js';
import { TokenLeaksModule } from './token-leaks/token-leaks.module.js';
import { UsersModule } from './users/users.module.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [appConfig] }),
    LoggerModule.forRootAsync({ useFactory: () => nestLoggerOptions() }),
    DatabaseModule.forRoot(SCHEMA),
    RedisModule,
    MetricsInstrumentsModule,
    RateLimitModule,
    AuthModule,
    AuditModule,
    AuditLogModule,
    UsersModule,
    HealthModule,
    DevicesModule,
    MetricsModule,
    DeviceFlowModule,
    ClientTokensModule,
    LongLivedTokensModule,
    CamerasModule,
    TokenLeaksModule,
    AdminDashboardModule,
    // Last: its catch-all GET serves the console's pages for every other non-API path.
    ConsoleModule,
  ],
})
export class AppModule {}
