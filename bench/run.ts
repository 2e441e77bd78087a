/**
 * Load benchmark: starts the built server against a fresh database, measures `/health/live`
 * as the baseline, then every scenario in bench/scenarios, and prints requests/s, p99 and the
 * ratio to the baseline, all from one run.
 *
 *   npm run bench                               # MariaDB at 127.0.0.1:3306, 50 connections, 10 s
 *   npm run bench -- --only users/me --duration 5
 *   npm run bench -- --database sqlite
 *   BENCH_DATABASE_URL=mysql://root@127.0.0.1:3306/pairgate_bench npm run bench
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { createConnection, type Connection } from 'mysql2/promise';
import type { BenchContext, BenchRequest, BenchScenario } from './bench-context.js';
import { SCENARIOS } from './scenarios/index.js';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    database: { type: 'string', default: 'mysql' },
    port: { type: 'string', default: '3999' },
    'log-level': { type: 'string', default: 'info' },
    /** Extra server environment, e.g. --env PRINCIPAL_CACHE_TTL_SECONDS=0 */
    env: { type: 'string', multiple: true, default: [] },
    /** Writes the server's CPU profile (node --cpu-prof) into this directory when it stops. */
    'cpu-prof': { type: 'string' },
  },
});

const duration = Number(args.duration);
const connections = Number(args.connections);
const port = Number(args.port);
const baseUrl = `http://127.0.0.1:${port}`;
const ADMIN = { username: 'benchadmin', password: 'bench-admin-password' };

interface Result {
  name: string;
  rps: number;
  p99: number;
  errors: number;
  non2xx: number;
  note?: string;
}

async function prepareDatabase(): Promise<{
  url: string;
  sql: BenchContext['sql'];
  close(): Promise<void>;
}> {
  if (args.database === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'pairgate-bench-'));
    const file = join(dir, 'bench.sqlite');
    let db: Database.Database | null = null;
    return {
      url: `sqlite:${file}`,
      sql: async (query, params = []) => {
        db ??= new Database(file, { readonly: true });
        return db.prepare(query).all(...params) as any[];
      },
      close: async () => {
        db?.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const server = new URL(
    process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/pairgate_bench',
  );
  const name = server.pathname.slice(1) || 'pairgate_bench';
  const connect = (database?: string) =>
    createConnection({
      host: server.hostname,
      port: Number(server.port || 3306),
      user: decodeURIComponent(server.username),
      password: decodeURIComponent(server.password),
      database,
    });
  const admin = await connect();
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  let conn: Connection | null = null;
  return {
    url: server.toString().replace(/\/[^/]*$/, `/${name}`),
    sql: async (query, params = []) => {
      conn ??= await connect(name);
      const [rows] = await conn.query(query, params);
      return rows as any[];
    },
    close: async () => {
      await conn?.end();
    },
  };
}

function startServer(databaseUrl: string): ChildProcess {
  const profile = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${args['cpu-prof']}`] : [];
  const child = spawn(process.execPath, [...profile, resolve('dist/src/main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: baseUrl,
      DATABASE_URL: databaseUrl,
      TOKEN_PEPPER: 'bench-pepper-0123456789abcdefghijklmnopqrstuvwxyz',
      AUDIT_KEY: 'bench-audit-key-0123456789abcdefghijklmnopqrstuvwxyz',
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: args['log-level'],
      // The benchmark measures throughput, not abuse limits.
      LOGIN_RATE_LIMIT_PER_IP: '100000',
      LOGIN_RATE_LIMIT_PER_USERNAME: '100000',
      DEVICE_INIT_RATE_LIMIT_PER_IP: '10000000',
      DEVICE_TOKEN_RATE_LIMIT_PER_IP: '10000000',
      DEVICE_USER_CODE_RATE_LIMIT: '10000000',
      CLIENT_TOKEN_EXCHANGE_RATE_LIMIT_PER_IP: '10000000',
      ...Object.fromEntries(
        (args.env ?? []).map((pair) => [
          pair.slice(0, pair.indexOf('=')),
          pair.slice(pair.indexOf('=') + 1),
        ]),
      ),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function waitForReady(): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${baseUrl}/health/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('server did not become ready within 60 s');
}

async function api<T>(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; form?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

type Load = { requests: BenchRequest[]; perConnection?: boolean };

async function load(
  name: string,
  { requests, perConnection }: Load,
  seconds: number,
): Promise<Result> {
  const toAutocannon = (list: BenchRequest[]) =>
    list.map((r) => ({
      method: r.method ?? 'GET',
      path: r.path,
      headers: r.headers,
      body: r.body,
    }));
  // One disjoint slice per connection, when the scenario asks for it.
  const slices = perConnection
    ? Array.from({ length: connections }, (_, i) =>
        toAutocannon(requests.filter((_, j) => j % connections === i)),
      )
    : [];
  let nextClient = 0;
  const result = await autocannon({
    url: baseUrl,
    connections,
    duration: seconds,
    requests: toAutocannon(perConnection ? requests.slice(0, 1) : requests),
    ...(perConnection
      ? {
          setupClient: (client: { setRequests(requests: unknown[]): void }) =>
            client.setRequests(slices[nextClient++ % connections]),
        }
      : {}),
  });
  return {
    name,
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

async function measure(name: string, work: Load): Promise<Result> {
  await load(name, work, Math.min(3, duration)); // warm-up: JIT, pools, caches
  return load(name, work, duration);
}

async function main(): Promise<void> {
  const scenarios: BenchScenario[] = SCENARIOS.filter(
    (s) => !args.only || s.name.toLowerCase().includes(args.only.toLowerCase()),
  );
  const database = await prepareDatabase();
  const server = startServer(database.url);
  const results: Result[] = [];
  try {
    await waitForReady();
    const login = await api<{ access_token: string }>('POST', '/api/auth/login', { body: ADMIN });
    const ctx: BenchContext = {
      baseUrl,
      adminToken: login.access_token,
      api,
      sql: database.sql,
      async userSession(username) {
        const password = `${username}-password`;
        const user = await api<{ id: string }>('POST', '/api/admin/users', {
          token: login.access_token,
          body: { username, password },
        });
        const session = await api<{ access_token: string }>('POST', '/api/auth/login', {
          body: { username, password },
        });
        return { token: session.access_token, userId: user.id };
      },
    };

    const baseline = await measure('GET /health/live', { requests: [{ path: '/health/live' }] });
    results.push(baseline);
    const skipped: string[] = [];
    for (const scenario of scenarios) {
      if (scenario.needsMysql && args.database === 'sqlite') {
        skipped.push(`${scenario.name}: skipped on SQLite (${scenario.needsMysql})`);
        continue;
      }
      const work = await scenario.prepare(ctx);
      const started = Date.now();
      const result = await measure(scenario.name, work);
      const note = await scenario.verify?.(ctx, {
        requests: Math.round(result.rps * duration),
        durationSeconds: (Date.now() - started) / 1000,
      });
      results.push({ ...result, note: note ?? undefined });
    }

    console.log(
      `\npairgate bench: ${args.database}, ${connections} connections, ${duration} s per route, LOG_LEVEL=${args['log-level']}${(args.env ?? []).map((e) => `, ${e}`).join('')}, node ${process.version}\n`,
    );
    console.log('| route | requests/s | p99 ms | ratio to /health/live | errors | non-2xx |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const r of results) {
      console.log(
        `| ${r.name} | ${Math.round(r.rps)} | ${r.p99} | ${(r.rps / baseline.rps).toFixed(2)} | ${r.errors} | ${r.non2xx} |`,
      );
    }
    for (const r of results.filter((x) => x.note)) console.log(`\n${r.name}: ${r.note}`);
    for (const line of skipped) console.log(`\n${line}`);
  } finally {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    await database.close();
  }
  const failed = results.some((r) => r.errors > 0);
  if (failed) process.exitCode = 1;
}

await main();
