import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { appConfig, type AppConfig } from '../../config/app.config.js';
import { buildDataSourceOptions, type DatabaseSchema } from '../../config/database-options.js';
import { connectAndMigrate } from './migrate-under-lock.js';
import { Transactions } from './transactions.js';

/**
 * The connection, migrated at start, and `Transactions`, for every module. The schema comes
 * from the composition root (`DatabaseModule.forRoot(SCHEMA)` in AppModule): the database
 * layer never names a module's entities.
 */
@Module({})
export class DatabaseModule {
  static forRoot(schema: DatabaseSchema): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [appConfig.KEY],
          useFactory: (config: AppConfig) => ({
            ...buildDataSourceOptions(config.database.url, schema),
            // Pending migrations run at start (connectAndMigrate, one instance at a time);
            // the schema is never synchronized from entities.
            migrationsRun: false,
            // Waiting for a database that starts later is right in production, not in tests.
            retryAttempts: config.env === 'test' ? 0 : 10,
          }),
          dataSourceFactory: async (options) => connectAndMigrate(options!),
        }),
      ],
      providers: [Transactions],
      exports: [Transactions],
    };
  }
}
