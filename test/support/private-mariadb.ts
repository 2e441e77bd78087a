import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { freePort, waitFor } from './private-redis.js';

const MARIADBD = '/usr/sbin/mariadbd';

/**
 * A mariadbd of the test's own: its own data directory, port and socket, so a test can kill
 * it (SIGKILL, as a crash) and start it again on the same data, or start it with server
 * defaults the shared one does not have (a latin1 character set, say). root, no password.
 */
export class PrivateMariaDb {
  private child: ChildProcess | null = null;

  private constructor(
    readonly dataDir: string,
    readonly port: number,
    private readonly serverArgs: string[],
  ) {}

  static available(): boolean {
    return existsSync(MARIADBD);
  }

  static async start(serverArgs: string[] = []): Promise<PrivateMariaDb> {
    const dataDir = mkdtempSync(join(tmpdir(), 'pairgate-mariadb-'));
    // Its own temporary directory: two installs sharing /tmp collide on temp table names.
    mkdirSync(`${dataDir}-tmp`);
    await promisify(execFile)('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--tmpdir=${dataDir}-tmp`,
      '--auth-root-authentication-method=normal',
      '--user=root',
      '--skip-test-db',
    ]);
    const server = new PrivateMariaDb(dataDir, await freePort(), serverArgs);
    await server.start();
    return server;
  }

  /** mysql://root@127.0.0.1:<port>/<database> */
  url(database: string, scheme: 'mysql' | 'mariadb' = 'mariadb'): string {
    return `${scheme}://root@127.0.0.1:${this.port}/${database}`;
  }

  async query(sql: string): Promise<unknown> {
    const conn = await createConnection({ host: '127.0.0.1', port: this.port, user: 'root' });
    try {
      const [rows] = await conn.query(sql);
      return rows;
    } finally {
      await conn.end();
    }
  }

  async start(): Promise<void> {
    this.child = spawn(
      MARIADBD,
      [
        '--no-defaults',
        `--datadir=${this.dataDir}`,
        `--tmpdir=${this.dataDir}-tmp`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(this.dataDir, 'mariadb.sock')}`,
        `--pid-file=${join(this.dataDir, 'mariadb.pid')}`,
        '--user=root',
        '--skip-log-bin',
        '--innodb-buffer-pool-size=32M',
        ...this.serverArgs,
      ],
      { stdio: 'ignore' },
    );
    await waitFor(
      () =>
        this.query('SELECT 1').then(
          () => true,
          () => false,
        ),
      `mariadbd on port ${this.port}`,
      30_000,
    );
  }

  /** SIGKILL: the server dies as in a crash, mid-transaction. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    this.child = null;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dataDir, { recursive: true, force: true });
    rmSync(`${this.dataDir}-tmp`, { recursive: true, force: true });
  }
}
