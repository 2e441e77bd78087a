import { Logger } from '@nestjs/common';
import { DataSource, type DataSourceOptions } from 'typeorm';

const LOCK_NAME = 'pairgate_migrations';
const LOCK_WAIT_SECONDS = 300;

/**
 * Connects and runs pending migrations, one instance at a time: on MySQL/MariaDB a named lock
 * (GET_LOCK) makes instances that start together wait for the first to finish instead of
 * racing it through the same CREATE TABLE. (SQLite is one process's file.)
 */
export async function connectAndMigrate(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
  if (dataSource.options.type === 'better-sqlite3') {
    await dataSource.runMigrations({ transaction: 'each' });
    return dataSource;
  }
  const runner = dataSource.createQueryRunner();
  try {
    const [{ locked }] = (await runner.query('SELECT GET_LOCK(?, ?) AS locked', [
      LOCK_NAME,
      LOCK_WAIT_SECONDS,
    ])) as Array<{ locked: number | string | null }>;
    if (Number(locked) !== 1) {
      throw new Error(
        `Another instance has held the migration lock for ${LOCK_WAIT_SECONDS} s; is one stuck?`,
      );
    }
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) {
      new Logger('Migrations').log(`applied ${applied.map((m) => m.name).join(', ')}`);
    }
  } finally {
    await runner.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]).catch(() => undefined);
    await runner.release();
  }
  return dataSource;
}
