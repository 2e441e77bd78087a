import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type RowDataPacket } from 'mysql2/promise';

export interface TestDatabase {
  url: string;
  kind: 'mysql' | 'sqlite';
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: a temporary SQLite file by default, or a new
 * database on the server named by TEST_DATABASE_URL=mysql://… (dropped afterwards).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `pairgate_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const server = process.env.TEST_DATABASE_URL;
  if (server?.startsWith('mysql') || server?.startsWith('mariadb')) {
    const url = new URL(server);
    const connect = () =>
      createConnection({
        host: url.hostname,
        port: Number(url.port || 3306),
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
      });
    const admin = await connect();
    await admin.query(
      `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    const [rows] = await admin.query<RowDataPacket[]>('SELECT VERSION() AS version');
    await admin.end();
    // The app picks TypeORM's dialect from the scheme, and MariaDB needs its own.
    const scheme = String(rows[0].version).includes('MariaDB') ? 'mariadb' : 'mysql';
    const dbUrl = `${scheme}://${url.username ? `${url.username}${url.password ? `:${url.password}` : ''}@` : ''}${url.host}/${name}`;
    return {
      url: dbUrl,
      kind: 'mysql',
      drop: async () => {
        const conn = await connect();
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await conn.end();
      },
    };
  }
  const file = join(tmpdir(), `${name}.sqlite`);
  return {
    url: `sqlite:${file}`,
    kind: 'sqlite',
    drop: async () => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    },
  };
}
