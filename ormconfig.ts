import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './src/config/database-options.js';
import { SCHEMA } from './src/schema.js';
import { validateEnvironment } from './src/config/environment.js';

/** The DataSource the TypeORM CLI uses: the same options the app builds from DATABASE_URL. */
export default new DataSource(
  buildDataSourceOptions(
    validateEnvironment(process.env as Record<string, unknown>).DATABASE_URL,
    SCHEMA,
  ),
);
