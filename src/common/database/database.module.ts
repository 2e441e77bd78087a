import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { appConfig, type AppConfig } from '../../config/app.config.js';
import { buildDataSourceOptions } from '../../config/database-options.js';
import { connectAndMigrate } from './migrate-under-lock.js';
import { Transactions } from './transactions.js';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config.database.url),
        // Pending migrations run at start (connectAndMigrate, one instance at a time); the
        // schema is never synchronized from entities.
        migrationsRun: false,
        // Waiting for a database that starts later is right in production, not in tests.
        retryAttempts: config.env === 'test' ? 0 : 10,
      }),
      dataSourceFactory: async (options) => connectAndMigrate(options!),
    }),
  ],
  providers: [Transactions],
  exports: [Transactions],
})
export class DatabaseModule {}
