import { AuditService } from '../src/audit/audit.service.js';
import { PrivateMariaDb } from './support/private-mariadb.js';
import { waitFor } from './support/private-redis.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Before the fix a dead database could hold a request for a connect timeout (10 s) or 500. */
const HANG_BOUND_MS = 5000;

interface Outcome {
  status: number;
  ms: number;
  id?: string;
  body: Record<string, unknown>;
  retryAfter?: string;
}

describe.runIf(PrivateMariaDb.available())('when the database fails', () => {
  let mariadb: PrivateMariaDb;
  let t: TestApp;
  let session: string;

  beforeAll(async () => {
    mariadb = await PrivateMariaDb.start();
    await mariadb.query(
      'CREATE DATABASE pairgate CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci',
    );
    t = await createTestApp(
      // A short principal-cache TTL, so the guard's own lookups meet the outage too.
      { PRINCIPAL_CACHE_TTL_SECONDS: '1' },
      { database: { url: mariadb.url('pairgate'), kind: 'mysql', drop: async () => undefined } },
    );
    session = (await t.factory.session()).token;
  }, 120_000);
  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await mariadb?.destroy();
  });

  const create = async (n: number): Promise<Outcome> => {
    const started = Date.now();
    const res = await t
      .http()
      .post('/api/client-tokens')
      .auth(session, { type: 'bearer' })
      .send({ name: `under load ${n}`, scopes: ['me.read'] });
    return {
      status: res.status,
      ms: Date.now() - started,
      id: res.status === 201 ? (res.body.id as string) : undefined,
      body: res.body as Record<string, unknown>,
      retryAfter: res.headers['retry-after'] as string | undefined,
    };
  };

  it('answers 503 with Retry-After while it is down and recovers without a restart', async () => {
    const outcomes: Outcome[] = [];
    let running = true;
    let n = 0;
    const worker = async () => {
      while (running) outcomes.push(await create(++n));
    };
    const load = Promise.all([worker(), worker(), worker(), worker()]);

    await waitFor(async () => outcomes.some((o) => o.status === 201), 'first writes');
    await mariadb.kill();
    await waitFor(async () => outcomes.some((o) => o.status === 503), 'refusals');
    const ready = await t.http().get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.headers['retry-after']).toBe('5');
    expect(ready.body).toMatchObject({
      statusCode: 503,
      error: 'service_unavailable',
      checks: { database: { status: 'down' } },
    });

    await mariadb.start();
    const acknowledgedBefore = outcomes.filter((o) => o.status === 201).length;
    await waitFor(
      async () => outcomes.filter((o) => o.status === 201).length > acknowledgedBefore + 5,
      'writes after the restart',
      30_000,
    );
    running = false;
    await load;

    expect(new Set(outcomes.map((o) => o.status))).toEqual(new Set([201, 503]));
    for (const refused of outcomes.filter((o) => o.status === 503)) {
      expect(refused.retryAfter).toBe('5');
      expect(refused.body).toMatchObject({ statusCode: 503, error: 'service_unavailable' });
    }
    expect(Math.max(...outcomes.map((o) => o.ms))).toBeLessThan(HANG_BOUND_MS);
    await t.http().get('/health/ready').expect(200);

    // Every acknowledged write is there once, with its audit event, and the chain holds.
    const ids = outcomes.filter((o) => o.status === 201).map((o) => o.id!);
    const rows: Array<{ id: string }> = await t.db.query('SELECT id FROM client_tokens');
    const stored = rows.map((r) => r.id);
    expect(stored.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
    const events: Array<{ target_id: string }> = await t.db.query(
      "SELECT target_id FROM audit_events WHERE action = 'client_token.create'",
    );
    const audited = new Set(events.map((e) => e.target_id));
    expect(ids.filter((id) => !audited.has(id))).toEqual([]);
    expect(await t.app.get(AuditService).verify()).toMatchObject({ ok: true });
  }, 120_000);
});
