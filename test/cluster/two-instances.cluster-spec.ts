import { DataSource } from 'typeorm';
import { AuditEvent } from '../../src/audit/audit-event.entity.js';
import { GENESIS_HASH, verifyChainSegment } from '../../src/audit/audit-chain.js';
import { buildDataSourceOptions } from '../../src/config/database-options.js';
import { SCHEMA } from '../../src/schema.js';
import { startServer, type ServerProcess } from '../support/built-server.js';
import { PrivateMariaDb } from '../support/private-mariadb.js';
import { PrivateRedis } from '../support/private-redis.js';

const ADMIN = { username: 'admin', password: 'cluster admin password' };

/**
 * Two built pairgate processes on their own ports over one MariaDB and one Redis, spoken to
 * with plain HTTP as a load balancer would, alternating between them.
 */
describe('two instances behave as one service', () => {
  let mariadb: PrivateMariaDb;
  let redis: PrivateRedis;
  let a: ServerProcess;
  let b: ServerProcess;
  let adminToken: string;
  let ipSeq = 0;

  beforeAll(async () => {
    [mariadb, redis] = await Promise.all([PrivateMariaDb.start(), PrivateRedis.start()]);
    await mariadb.query(
      'CREATE DATABASE pairgate CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci',
    );
    const env = {
      DATABASE_URL: mariadb.url('pairgate'),
      REDIS_URL: redis.url,
      // Each scenario speaks from its own client address, so their rate limits stay apart.
      TRUST_PROXY: 'true',
      DEVICE_POLL_INTERVAL_SECONDS: '1',
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
    };
    // Started together on an empty database: one migrates while the other waits for it.
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
    adminToken = await login(a, ADMIN.username, ADMIN.password);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await Promise.all([mariadb?.destroy(), redis?.stop()]);
  });

  async function call(
    server: ServerProcess,
    method: string,
    path: string,
    options: { token?: string; body?: unknown; ip?: string } = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        'x-forwarded-for': options.ip ?? '198.51.100.1',
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  async function login(server: ServerProcess, username: string, password: string) {
    const res = await call(server, 'POST', '/api/auth/login', { body: { username, password } });
    expect(res.status).toBe(200);
    return res.body.access_token as string;
  }

  async function newUser(): Promise<{ id: string; token: string }> {
    const username = `user${++ipSeq}`;
    const password = 'a user password';
    const res = await call(a, 'POST', '/api/admin/users', {
      token: adminToken,
      body: { username, password },
    });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, token: await login(b, username, password) };
  }

  const nextIp = () => `203.0.113.${++ipSeq}`;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function init(server: ServerProcess, ip: string, identifier = `tv-${ipSeq}`) {
    return call(server, 'POST', '/api/auth/device/init', {
      ip,
      body: {
        client_device_identifier: identifier,
        client_name: 'Cluster TV',
        scopes: ['me.read'],
      },
    });
  }

  async function pairedDeviceToken(user: { token: string }): Promise<string> {
    const ip = nextIp();
    const started = await init(a, ip);
    expect(started.status).toBe(200);
    const approved = await call(b, 'POST', '/api/auth/device/approve', {
      token: user.token,
      body: { user_code: started.body.user_code },
    });
    expect(approved.status).toBe(200);
    await sleep(1100);
    const collected = await call(a, 'POST', '/api/auth/device/token', {
      ip,
      body: { device_code: started.body.device_code },
    });
    expect(collected.status).toBe(200);
    return collected.body.access_token as string;
  }

  it('initiates on A, approves on B, collects on A, and refuses a second collection on B', async () => {
    const user = await newUser();
    const ip = nextIp();
    const started = await init(a, ip);
    expect(started.status).toBe(200);
    const approved = await call(b, 'POST', '/api/auth/device/approve', {
      token: user.token,
      body: { user_code: started.body.user_code },
    });
    expect(approved.status).toBe(200);
    await sleep(1100);
    const collected = await call(a, 'POST', '/api/auth/device/token', {
      ip,
      body: { device_code: started.body.device_code },
    });
    expect(collected.status).toBe(200);
    const token = collected.body.access_token as string;
    expect((await call(b, 'GET', '/api/users/me', { token })).status).toBe(200);

    const replay = await call(b, 'POST', '/api/auth/device/token', {
      ip,
      body: { device_code: started.body.device_code },
    });
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    // The replay revoked what the code minted, on both instances.
    expect((await call(a, 'GET', '/api/users/me', { token })).status).toBe(401);
    expect((await call(b, 'GET', '/api/users/me', { token })).status).toBe(401);
  });

  it('holds slow_down across instances', async () => {
    const ip = nextIp();
    const started = await init(b, ip);
    const poll = (server: ServerProcess) =>
      call(server, 'POST', '/api/auth/device/token', {
        ip,
        body: { device_code: started.body.device_code },
      });
    expect((await poll(a)).body.error).toBe('authorization_pending');
    expect((await poll(b)).body).toMatchObject({ error: 'slow_down', interval: 6 });
  });

  it('refuses the 11th device authorization in a window from one address on either instance', async () => {
    const ip = nextIp();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await init(i % 2 ? a : b, ip)).status);
    expect(statuses).toEqual(Array(10).fill(200));
    expect((await init(a, ip)).status).toBe(429);
    expect((await init(b, ip)).status).toBe(429);
  });

  it('fails a token revoked on A on B at the very next request', async () => {
    const user = await newUser();
    const created = await call(a, 'POST', '/api/client-tokens', {
      token: user.token,
      body: { name: 'cluster', scopes: ['me.read'] },
    });
    expect(created.status).toBe(201);
    const raw = (created.body.access_token ?? created.body.access_token) as string;
    // B resolves it now and caches the principal.
    expect((await call(b, 'GET', '/api/users/me', { token: raw })).status).toBe(200);
    const revoked = await call(a, 'DELETE', `/api/client-tokens/${String(created.body.id)}`, {
      token: user.token,
    });
    expect(revoked.status).toBe(204);
    expect((await call(b, 'GET', '/api/users/me', { token: raw })).status).toBe(401);
  });

  it('refuses a user disabled on B on A at once', async () => {
    const user = await newUser();
    expect((await call(a, 'GET', '/api/users/me', { token: user.token })).status).toBe(200);
    const disabled = await call(b, 'PATCH', `/api/admin/users/${user.id}`, {
      token: adminToken,
      body: { disabled: true },
    });
    expect(disabled.status).toBe(200);
    expect((await call(a, 'GET', '/api/users/me', { token: user.token })).status).toBe(401);
  });

  it('writes debounced activity once, however the requests are spread', async () => {
    const user = await newUser();
    const token = await pairedDeviceToken(user);
    const rowsUpdated = async () => {
      const rows = (await mariadb.query("SHOW GLOBAL STATUS LIKE 'Handler_update'")) as Array<{
        Value: string;
      }>;
      return Number(rows[0].Value);
    };
    const before = await rowsUpdated();
    for (let i = 0; i < 40; i++) {
      expect((await call(i % 2 ? a : b, 'GET', '/api/users/me', { token })).status).toBe(200);
    }
    await sleep(500);
    // One token row (last_used_at) and one device row (last_seen_at), not one per instance.
    expect((await rowsUpdated()) - before).toBe(2);
  });

  it('keeps one valid audit chain while both instances write at once', async () => {
    const user = await newUser();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(i % 2 ? a : b, 'POST', '/api/client-tokens', {
          token: user.token,
          body: { name: `concurrent ${i}`, scopes: ['me.read'] },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));

    const db = new DataSource(buildDataSourceOptions(mariadb.url('pairgate'), SCHEMA));
    await db.initialize();
    try {
      const events = await db.getRepository(AuditEvent).find({ order: { id: 'ASC' } });
      const result = verifyChainSegment(process.env.AUDIT_KEY!, events, {
        id: 0,
        hash: GENESIS_HASH,
      });
      expect(result).toMatchObject({ ok: true, checked: events.length });
      const creates = events.filter((e) => e.action === 'client_token.create');
      expect(creates.length).toBeGreaterThanOrEqual(51);
    } finally {
      await db.destroy();
    }
  });
});
