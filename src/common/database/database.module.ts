import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { appConfig, type AppConfig } from '../../config/app.config.js';
import { buildDataSourceOptions } from '../../config/database-options.js';
import { Transactions } from './transactions.js';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config.database.url),
        // Pending migrations run at start; the schema is never synchronized from entities.
        migrationsRun: true,
        migrationsTransactionMode: 'each',
        // Waiting for a database that starts later is right in production, not in tests.
        retryAttempts: config.env === 'test' ? 0 : 10,
      }),
    }),
  ],
  providers: [Transactions],
  exports: [Transactions],
})
export class DatabaseModule {}
