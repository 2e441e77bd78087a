import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/config/database-options.js';
import { SCHEMA } from '../src/schema.js';
import { MIGRATIONS } from '../migrations/index.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

describe('migrations', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(buildDataSourceOptions(database.url, SCHEMA)).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const tables = async (): Promise<string[]> => {
    const rows: Record<string, string>[] =
      database.kind === 'mysql'
        ? await dataSource.query('SHOW TABLES')
        : await dataSource.query("SELECT name FROM sqlite_master WHERE type = 'table'");
    return rows
      .map((row) => Object.values(row)[0])
      .filter((name) => name !== 'migrations' && !name.startsWith('sqlite_'))
      .sort();
  };

  it('run up, all the way down, and up again', async () => {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => new m().name));
    const created = await tables();
    expect(created).toEqual(
      expect.arrayContaining(['audit_chain_head', 'audit_events', 'sessions', 'users']),
    );

    for (let i = 0; i < MIGRATIONS.length; i++)
      await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual([]);

    await dataSource.runMigrations({ transaction: 'each' });
    expect(await tables()).toEqual(created);
  });

  it('leave no difference between the entities and the migrated schema', async () => {
    if ((await dataSource.showMigrations()) === true) await dataSource.runMigrations();
    const pending = await dataSource.driver.createSchemaBuilder().log();
    if (pending.upQueries.length) console.log(pending.upQueries.map((q) => q.query).join('\n'));
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });
});
