import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';

export type DatabaseKind = 'mysql' | 'sqlite';

/** What the composition root (src/schema.ts) hands the database layer. */
export interface DatabaseSchema {
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
}

export function databaseKind(url: string): DatabaseKind {
  return url.startsWith('sqlite:') ? 'sqlite' : 'mysql';
}

export function sqlitePath(url: string): string {
  return url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
}

/** The directory the embedded default keeps its files in. */
export function defaultDataDir(url: string): string {
  return databaseKind(url) === 'sqlite' && sqlitePath(url) !== ':memory:'
    ? dirname(resolve(sqlitePath(url)))
    : resolve('data');
}

/** One place builds the TypeORM options, for the app, the migration CLI and the tests. */
export function buildDataSourceOptions(url: string, schema: DatabaseSchema): DataSourceOptions {
  const common = {
    entities: schema.entities,
    migrations: schema.migrations,
    synchronize: false,
    migrationsRun: false,
    logging: false as const,
  };
  if (databaseKind(url) === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: sqlitePath(url),
      // WAL lets readers proceed while a writer commits; busy_timeout waits out a lock
      // instead of failing the request.
      prepareDatabase: (db: { pragma(s: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
      },
    } as DataSourceOptions;
  }
  const parsed = new URL(url);
  return {
    ...common,
    // TypeORM reads MariaDB's information_schema differently (quoted defaults, 'NULL'):
    // mariadb:// selects that dialect, mysql:// the MySQL one.
    type: parsed.protocol === 'mariadb:' ? 'mariadb' : 'mysql',
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: parsed.pathname.slice(1),
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    // An unreachable host fails the request in seconds (503) instead of holding it.
    connectTimeout: 3000,
    extra: {
      connectionLimit: Number(parsed.searchParams.get('connectionLimit') ?? 20),
      // mysql2 captures a stack trace on every query to decorate a later error with it:
      // 2 % of a device authorization's CPU time. Query errors keep their own message.
      trace: false,
    },
  };
}
