import { get as httpGet } from 'node:http';
import { AuditRepository } from '../src/audit/audit.repository.js';
import { spawnSync } from 'node:child_process';
import { LessThanOrEqual } from 'typeorm';
import { AuditChainHead, AuditEvent } from '../src/audit/audit-event.entity.js';
import { AuditService } from '../src/audit/audit.service.js';
import { AuditRetentionService } from '../src/audit-log/audit-retention.service.js';
import { csvCell } from '../src/audit-log/audit-export.js';
import { Transactions } from '../src/common/database/transactions.js';
import { createToken } from './support/client-tokens.js';
import { createTestApp, LOOPBACK, type TestApp } from './support/test-app.js';

type Event = Record<string, unknown> & { id: number; action: string; outcome: string };

describe('the audit log API', () => {
  let t: TestApp;
  let admin: { token: string; user: { id: string; username: string } };
  let alice: { token: string; user: { id: string; username: string }; password: string };
  let bob: { token: string; user: { id: string; username: string } };

  beforeAll(async () => {
    t = await createTestApp({ AUDIT_RETENTION_DAYS: '30' });
    admin = await t.factory.session({ role: 'admin' });
    alice = await t.factory.session();
    bob = await t.factory.session();
  });
  afterAll(() => t?.close());

  const get = (path: string, token = admin.token) =>
    t.http().get(path).auth(token, { type: 'bearer' });

  async function all(query: string): Promise<Event[]> {
    const events: Event[] = [];
    let cursor: string | null = null;
    do {
      const sep: string = query ? '&' : '';
      const res = await get(
        `/api/admin/audit-events?${query}${sep}limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      ).expect(200);
      events.push(...(res.body.items as Event[]));
      cursor = res.body.next_cursor as string | null;
    } while (cursor);
    return events;
  }

  it('shows who did what, from where, with which token, newest first', async () => {
    const created = await createToken(t, alice.token, { name: 'laptop', scopes: ['me.read'] });
    await t
      .http()
      .delete(`/api/client-tokens/${created.id}`)
      .auth(alice.token, { type: 'bearer' })
      .expect(204);
    const res = await get('/api/admin/audit-events?action=client_token.&limit=2').expect(200);
    expect(res.body.items.map((e: Event) => e.action)).toEqual([
      'client_token.revoke',
      'client_token.create',
    ]);
    const [revoke] = res.body.items as Event[];
    expect(revoke).toMatchObject({
      outcome: 'success',
      actor_user_id: alice.user.id,
      actor_username: alice.user.username,
      actor_token_kind: 'session',
      actor_token_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      actor_device_id: null,
      target_type: 'client_token',
      target_id: created.id,
      ip: expect.stringMatching(LOOPBACK),
      details: expect.objectContaining({ name: 'laptop' }),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(res.body)).not.toContain(created.raw);
    const one = await get(`/api/admin/audit-events/${revoke.id}`).expect(200);
    expect(one.body).toEqual(revoke);
    await get('/api/admin/audit-events/99999999').expect(404);
    await get('/api/admin/audit-events/abc').expect(400);
  });

  it('filters alone and combined', async () => {
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: bob.user.username, password: 'wrong password' })
      .expect(401);
    const failures = await all('action=auth.login&outcome=failure');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((e) => e.action === 'auth.login' && e.outcome === 'failure')).toBe(true);
    const bobs = await all(`actor_user_id=${bob.user.id}`);
    expect(bobs.every((e) => e.actor_user_id === bob.user.id)).toBe(true);
    const combined = await all(`actor_user_id=${bob.user.id}&action=auth.login&outcome=failure`);
    expect(combined).toHaveLength(1);
    expect(combined[0].details).toMatchObject({ reason: 'wrong_password' });
    const byTarget = await all(`target_type=user&target_id=${admin.user.id}`);
    expect(byTarget.every((e) => e.target_id === admin.user.id)).toBe(true);
    const future = await all(`since=${new Date(Date.now() + 3600_000).toISOString()}`);
    expect(future).toEqual([]);
    const sinceEpoch = await all('since=2000-01-01T00:00:00Z');
    expect(sinceEpoch.length).toBe(await t.db.getRepository(AuditEvent).count());
    const until = await all('until=2000-01-01T00:00:00Z');
    expect(until).toEqual([]);
    // To the second: `since` includes an event of that second, `until` excludes it.
    const [newest] = await all('');
    const at = newest.created_at as string;
    expect((await all(`since=${at}`)).map((e) => e.id)).toContain(newest.id);
    expect((await all(`until=${at}`)).map((e) => e.id)).not.toContain(newest.id);
    const justAfter = new Date(Date.parse(at) + 1000).toISOString();
    expect((await all(`since=${justAfter}`)).map((e) => e.id)).not.toContain(newest.id);
    expect((await all(`until=${justAfter}`)).map((e) => e.id)).toContain(newest.id);
    const prefixOnly = await all('action=auth.');
    expect(prefixOnly.every((e) => e.action.startsWith('auth.'))).toBe(true);
    // LIKE wildcards in a prefix are literal.
    expect(await all('action=auth_.')).toEqual([]);
    const bad = await get('/api/admin/audit-events?outcome=maybe&since=yesterday').expect(400);
    expect(bad.body.error).toBe('validation_failed');
    await get('/api/admin/audit-events?limit=501').expect(400);
    await get('/api/admin/audit-events?cursor=nonsense').expect(400);
  });

  it('pages through thousands of events with none lost or repeated while new ones arrive', async () => {
    const audit = t.app.get(AuditService);
    const transactions = t.app.get(Transactions);
    await transactions.run((manager) =>
      audit.recordMany(
        manager,
        Array.from({ length: 2500 }, (_, i) => ({ action: 'test.bulk', details: { i } })),
      ),
    );
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { items: Event[]; next_cursor: string | null } } = await get(
        `/api/admin/audit-events?action=test.bulk&limit=300${cursor ? `&cursor=${cursor}` : ''}`,
      ).expect(200);
      seen.push(...(res.body.items as Event[]).map((e) => e.id));
      cursor = res.body.next_cursor;
      // Newer events arriving meanwhile do not shift the pages.
      await transactions.run((manager) =>
        audit.record(manager, { action: 'test.bulk', details: { late: pages } }),
      );
      pages++;
    } while (cursor);
    expect(pages).toBe(9);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(2500);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    // Without a filter the pages walk the primary key: every event once, newest first.
    const everything = (await all('')).map((e) => e.id);
    const ids = (await t.db.getRepository(AuditEvent).find({ select: { id: true } })).map(
      (e) => e.id,
    );
    expect(everything).toEqual(ids.sort((a, b) => b - a));
  });

  it('exports exactly what the search shows, as NDJSON and as CSV', async () => {
    const query = `actor_user_id=${alice.user.id}`;
    const listed = await all(query);
    const ndjson = await get(`/api/admin/audit-events/export?${query}`).expect(200);
    expect(ndjson.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(ndjson.headers['content-disposition']).toMatch(
      /^attachment; filename="pairgate-audit-.*\.ndjson"$/,
    );
    const lines = ndjson.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Event);
    expect(lines).toEqual(listed);

    const csv = await get(`/api/admin/audit-events/export?${query}&format=csv`).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const rows = csv.text.split('\r\n').filter(Boolean);
    expect(rows[0]).toBe(
      'id,created_at,action,outcome,actor_user_id,actor_username,actor_token_kind,actor_token_id,actor_device_id,target_type,target_id,ip,user_agent,details,prev_hash,hash',
    );
    expect(rows.slice(1).map((row) => Number(row.split(',')[0]))).toEqual(listed.map((e) => e.id));
    await get('/api/admin/audit-events/export?format=xml').expect(400);
  });

  it('writes CSV that a spreadsheet cannot execute', async () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(null)).toBe('');
    await t
      .http()
      .post('/api/auth/login')
      .set('user-agent', '=cmd|"/c calc"!A1')
      .send({ username: 'nobody-here', password: 'whatever1' })
      .expect(401);
    const csv = await get(
      '/api/admin/audit-events/export?action=auth.login&outcome=failure&format=csv',
    ).expect(200);
    expect(csv.text).toContain(`"'=cmd|""/c calc""!A1"`);
    expect(csv.text).not.toMatch(/,=cmd/);
  });

  it('is for admins, and for a token holding audit.read and nothing else', async () => {
    const refused = await get('/api/admin/audit-events', alice.token).expect(403);
    expect(refused.body.error).toBe('insufficient_scope');
    await get('/api/admin/audit-events/verify', alice.token).expect(403);
    await get('/api/admin/audit-events/export', alice.token).expect(403);
    await t.http().get('/api/admin/audit-events').expect(401);
    // A user cannot even hold the scope.
    const asked = await t
      .http()
      .post('/api/client-tokens')
      .auth(alice.token, { type: 'bearer' })
      .send({ name: 'siem', scopes: ['audit.read'] })
      .expect(403);
    expect(asked.body.error).toBe('scope_not_allowed');
    const reader = await createToken(t, admin.token, { name: 'siem', scopes: ['audit.read'] });
    await get('/api/admin/audit-events?limit=1', reader.raw).expect(200);
    await get('/api/admin/audit-events/verify', reader.raw).expect(200);
    await get('/api/admin/users', reader.raw).expect(403);
    const adminToken = await createToken(t, admin.token, { name: 'ops', scopes: ['admin'] });
    await get('/api/admin/audit-events', adminToken.raw).expect(403);
  });

  it('records refused attempts once per source and minute: admin routes, wrong pairing codes', async () => {
    const eve = await t.factory.session();
    for (let i = 0; i < 3; i++) await get('/api/admin/users', eve.token).expect(403);
    for (let i = 0; i < 3; i++) {
      await t
        .http()
        .post('/api/client-tokens/exchange')
        .set('user-agent', 'guesser')
        .send({ code: 'BCDF-GHJK' })
        .expect(400);
    }
    const until = Date.now() + 5000;
    let refused: Array<{ action: string; actor_user_id: string | null; target_id: string }> = [];
    while (Date.now() < until) {
      refused = await t.db.query(
        "SELECT action, actor_user_id, target_id FROM audit_events WHERE outcome = 'denied' AND action IN ('auth.admin_route_refused', 'client_token.exchange')",
      );
      const seen = new Set(refused.map((e) => `${e.action}|${e.actor_user_id ?? ''}`));
      if (
        seen.has('client_token.exchange|') &&
        seen.has(`auth.admin_route_refused|${eve.user.id}`)
      ) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const byEve = refused.filter(
      (e) => e.action === 'auth.admin_route_refused' && e.actor_user_id === eve.user.id,
    );
    expect(byEve).toEqual([
      {
        action: 'auth.admin_route_refused',
        actor_user_id: eve.user.id,
        target_id: 'GET /api/admin/users',
      },
    ]);
    expect(refused.filter((e) => e.action === 'client_token.exchange')).toHaveLength(1);
  });

  it("gives every user their own security log, with no one else's address", async () => {
    const carol = await t.factory.session();
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: carol.user.username, password: 'not her password' })
      .expect(401);
    await t
      .http()
      .post(`/api/admin/users/${carol.user.id}/revoke-tokens`)
      .auth(admin.token, { type: 'bearer' })
      .expect(200);
    const fresh = await t
      .http()
      .post('/api/auth/login')
      .send({ username: carol.user.username, password: carol.password })
      .expect(200);
    const res = await t
      .http()
      .get('/api/users/me/security-log')
      .auth(fresh.body.access_token, { type: 'bearer' })
      .expect(200);
    const items = res.body.items as Event[];
    expect(items.map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'auth.login:success',
      'user.revoke_tokens:success',
      'auth.login:failure',
      'auth.login:success',
    ]);
    const byAdmin = items.find((e) => e.action === 'user.revoke_tokens')!;
    expect(byAdmin).toMatchObject({
      actor_username: admin.user.username,
      ip: null,
      user_agent: null,
    });
    expect(items[0].ip).toMatch(LOOPBACK);
    // Exactly the events that involve her, and nobody else's.
    const expected = (await t.db.query(
      "SELECT id FROM audit_events WHERE actor_user_id = ? OR (target_type = 'user' AND target_id = ?) ORDER BY id DESC",
      [carol.user.id, carol.user.id],
    )) as Array<{ id: number }>;
    expect(items.map((e) => e.id)).toEqual(expected.map((r) => Number(r.id)));

    // Filtered on the server, over her whole log: by action (exact or a prefix) and outcome.
    const filtered = async (query: Record<string, string>) =>
      (
        (
          await t
            .http()
            .get('/api/users/me/security-log')
            .query(query)
            .auth(fresh.body.access_token, { type: 'bearer' })
            .expect(200)
        ).body.items as Event[]
      ).map((e) => `${e.action}:${e.outcome}`);
    expect(await filtered({ outcome: 'failure' })).toEqual(['auth.login:failure']);
    expect(await filtered({ action: 'auth.' })).toEqual([
      'auth.login:success',
      'auth.login:failure',
      'auth.login:success',
    ]);
    expect(await filtered({ action: 'user.revoke_tokens', outcome: 'success' })).toEqual([
      'user.revoke_tokens:success',
    ]);
    await t
      .http()
      .get('/api/users/me/security-log?outcome=maybe')
      .auth(fresh.body.access_token, { type: 'bearer' })
      .expect(400);
  });
});

describe('audit log verification', () => {
  let t: TestApp;
  let admin: { token: string };
  beforeAll(async () => {
    t = await createTestApp({ AUDIT_RETENTION_DAYS: '30' });
    admin = await t.factory.session({ role: 'admin' });
    for (let i = 0; i < 5; i++) await t.factory.session();
  });
  afterAll(() => t?.close());

  const verify = async () =>
    (
      await t
        .http()
        .get('/api/admin/audit-events/verify')
        .auth(admin.token, { type: 'bearer' })
        .expect(200)
    ).body as {
      ok: boolean;
      checked: number;
      first_bad_id?: number;
      reason?: string;
      head: Record<string, unknown>;
    };
  const events = () => t.db.getRepository(AuditEvent);
  const heads = () => t.db.getRepository(AuditChainHead);

  it('says ok with the signed head, and names an edited, deleted or swapped event', async () => {
    const good = await verify();
    expect(good).toMatchObject({
      ok: true,
      checked: await events().count(),
      head: {
        first_id: 1,
        last_id: good.checked,
        count: good.checked,
        signature: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });

    const victim = await events().findOneByOrFail({ id: 3 });
    await events().update({ id: 3 }, { action: 'auth.logout' });
    expect(await verify()).toMatchObject({
      ok: false,
      first_bad_id: 3,
      reason: 'event was altered',
    });
    await events().update({ id: 3 }, { action: victim.action });

    await events().delete({ id: 4 });
    expect(await verify()).toMatchObject({
      ok: false,
      first_bad_id: 4,
      reason: 'event 4 is missing',
    });
    await events().insert(await restored(4));

    // Swap two events' contents (ids keep their order, the chain breaks at the first).
    const [five, six] = await Promise.all([
      events().findOneByOrFail({ id: 5 }),
      events().findOneByOrFail({ id: 6 }),
    ]);
    await events().update({ id: 5 }, { ...strip(six), id: 5 });
    await events().update({ id: 6 }, { ...strip(five), id: 6 });
    expect(await verify()).toMatchObject({ ok: false, first_bad_id: 5 });
    await events().update({ id: 5 }, strip(five));
    await events().update({ id: 6 }, strip(six));
    expect((await verify()).ok).toBe(true);
  });

  let saved: AuditEvent[] = [];
  async function restored(id: number): Promise<AuditEvent> {
    return saved.find((e) => e.id === id)!;
  }
  function strip(event: AuditEvent): Partial<AuditEvent> {
    const { id: _id, ...rest } = event;
    return rest;
  }
  beforeAll(async () => {
    saved = await t.db.getRepository(AuditEvent).find({ order: { id: 'ASC' } });
  });

  it('catches truncation without trusting the database', async () => {
    const head = await heads().findOneByOrFail({ id: 1 });
    const all = await events().find({ order: { id: 'ASC' } });
    const keep = all.slice(0, -2);
    const newLast = keep[keep.length - 1];

    // 1. The newest events deleted and the head moved back to the new last row.
    await events().delete(all.slice(-2).map((e) => e.id));
    await heads().update({ id: 1 }, { lastId: newLast.id, lastHash: newLast.hash });
    expect(await verify()).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not signed'),
    });

    // 2. The newest events deleted, the head left alone.
    await heads().update({ id: 1 }, { lastId: head.lastId, lastHash: head.lastHash });
    expect(await verify()).toMatchObject({ ok: false, first_bad_id: newLast.id + 1 });

    // 3. The whole log wiped and the head reset to the genesis values (signed or not).
    await events().clear();
    await heads().update({ id: 1 }, { lastId: 0, lastHash: '0'.repeat(64), firstId: 1 });
    expect((await verify()).ok).toBe(false);
    await heads().update({ id: 1 }, { signature: null });
    expect((await verify()).ok).toBe(false);

    await events().insert(all);
    await heads().update({ id: 1 }, head);
    expect((await verify()).ok).toBe(true);
  });

  it('verifies from the command line with an exit code (npm run audit:verify)', async () => {
    const run = () =>
      spawnSync('npx', ['tsx', 'scripts/audit-verify.ts'], {
        env: { ...process.env, DATABASE_URL: t.database.url },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const ok = run();
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, head: { first_id: 1 } });
    const victim = await events().findOneByOrFail({ id: 2 });
    await events().update({ id: 2 }, { ip: '198.51.100.1' });
    const bad = run();
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, first_bad_id: 2 });
    await events().update({ id: 2 }, { ip: victim.ip });
  });

  it('prunes by AUDIT_RETENTION_DAYS and still verifies what is kept; the pruned start is signed', async () => {
    const before = await events().count();
    await events().update(
      { id: LessThanOrEqual(4) },
      { createdAt: new Date(Date.now() - 40 * 86_400_000) },
    );
    // An old timestamp breaks those links, so re-chaining is not what we test here: prune
    // only removes them, and the kept chain starts after them.
    const deleted = await t.app.get(AuditRetentionService).prune();
    expect(deleted).toBe(4);
    const after = await verify();
    expect(after).toMatchObject({ ok: true, head: { first_id: 5 } });
    expect(await events().count()).toBe(before - 4 + 1); // + the audit.retention checkpoint
    const [checkpoint] = await events().find({ where: { action: 'audit.retention' } });
    expect(JSON.parse(checkpoint.details!)).toMatchObject({ deleted: 4, first_id: 5 });
    expect(await t.app.get(AuditRetentionService).prune()).toBe(0);

    // Deleting the oldest kept event and moving the start forward is caught.
    await events().delete({ id: 5 });
    await heads().update({ id: 1 }, { firstId: 6 });
    expect(await verify()).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not signed'),
    });
  });
});

describe('the audit chain with two instances writing at once', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await createTestApp();
    b = await createTestApp({}, { database: a.database });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('stays one valid chain after 50 concurrent audited actions split over both', async () => {
    const users = await Promise.all(Array.from({ length: 5 }, () => a.factory.user()));
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const app = i % 2 === 0 ? a : b;
        const { user, password } = users[i % users.length];
        return app
          .http()
          .post('/api/auth/login')
          .send({ username: user.username, password })
          .expect(200);
      }),
    );
    const logins = await a.db.getRepository(AuditEvent).countBy({ action: 'auth.login' });
    expect(logins).toBe(50);
    const verified = await b.app.get(AuditService).verify();
    expect(verified).toMatchObject({
      ok: true,
      checked: await a.db.getRepository(AuditEvent).count(),
    });
  });
});

describe('the audit export when the client goes away', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('stops reading the database', async () => {
    const admin = await t.factory.session({ role: 'admin' });
    const audit = t.app.get(AuditService);
    await t.app.get(Transactions).run((manager) =>
      audit.recordMany(
        manager,
        Array.from({ length: 20_000 }, () => ({ action: 'test.many' })),
      ),
    );
    const repository = t.app.get(AuditRepository);
    const list = vi.spyOn(repository, 'list');
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as { port: number };
    await new Promise<void>((resolve, reject) => {
      const req = httpGet(
        {
          host: '127.0.0.1',
          port,
          path: '/api/admin/audit-events/export?action=test.many',
          headers: { authorization: `Bearer ${admin.token}` },
        },
        (res) => {
          res.once('data', () => {
            // The first bytes came before the last query; now hang up.
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', (err) => (req.destroyed ? resolve() : reject(err)));
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const batches = list.mock.calls.length;
    expect(batches).toBeLessThan(20);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(list.mock.calls.length).toBe(batches);
  });
});
