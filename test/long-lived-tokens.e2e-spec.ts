import { randomUUID } from 'node:crypto';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AuditEvent } from '../src/audit/audit-event.entity.js';
import { LongLivedToken } from '../src/long-lived-tokens/long-lived-token.entity.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface Created {
  id: string;
  access_token: string;
  name: string;
  prefix: string;
  scope: string;
  status: string;
  expires_at: string;
}

const DAY = 24 * 3600;

describe('long-lived tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const bearer = { type: 'bearer' } as const;

  async function create(session: string, body: Record<string, unknown> = {}): Promise<Created> {
    const res = await t
      .http()
      .post('/api/long-lived-tokens')
      .auth(session, bearer)
      .send({ name: 'Kitchen tablet', expires_in_days: 30, ...body })
      .expect(201);
    return res.body as Created;
  }

  function post(session: string, body: Record<string, unknown>) {
    return t.http().post('/api/long-lived-tokens').auth(session, bearer).send(body);
  }

  describe('create, list, revoke', () => {
    it('creates a token from a login session and returns the secret once', async () => {
      const { user, token: session } = await t.factory.session();
      const now = t.clock.nowMs();
      const created = await create(session, { name: '  Living room card  ', expires_in_days: 90 });
      expect(created).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Living room card',
        prefix: created.access_token.slice(4, 12),
        scope: 'camera.stream',
        status: 'active',
        created_at: expect.any(String),
        expires_at: expect.any(String),
        last_used_at: null,
        last_used_ip: null,
        revoked_at: null,
        access_token: expect.stringMatching(/^pgl_[0-9A-Za-z]{38}$/),
      });
      const lifetime = Date.parse(created.expires_at) - now;
      expect(Math.abs(lifetime - 90 * DAY * 1000)).toBeLessThan(2000);

      const row = await t.db.getRepository(LongLivedToken).findOneByOrFail({ id: created.id });
      expect(row.userId).toBe(user.id);
      expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain(created.access_token);

      const list = await t.http().get('/api/long-lived-tokens').auth(session, bearer).expect(200);
      expect(list.body.next_cursor).toBeNull();
      expect(list.body.items).toHaveLength(1);
      const { access_token: _secret, ...shown } = created;
      expect(list.body.items[0]).toEqual(shown);
      expect(JSON.stringify(list.body)).not.toContain(created.access_token);

      const one = await t
        .http()
        .get(`/api/long-lived-tokens/${created.id}`)
        .auth(session, bearer)
        .expect(200);
      expect(one.body).toEqual(shown);
    });

    it('revokes a token: it fails at once, lists as revoked, and revoking again is a no-op', async () => {
      const { token: session } = await t.factory.session();
      const created = await create(session);
      await t.http().get('/api/cameras').auth(created.access_token, bearer).expect(200); // cached now
      await t
        .http()
        .delete(`/api/long-lived-tokens/${created.id}`)
        .auth(session, bearer)
        .expect(204);
      const refused = await t
        .http()
        .get('/api/cameras')
        .auth(created.access_token, bearer)
        .expect(401);
      expect(refused.body.error).toBe('invalid_token');
      await t
        .http()
        .get(`/api/cameras/1/snapshot?access_token=${created.access_token}`)
        .expect(401);
      await t
        .http()
        .delete(`/api/long-lived-tokens/${created.id}`)
        .auth(session, bearer)
        .expect(204);
      const list = await t
        .http()
        .get('/api/long-lived-tokens?status=revoked')
        .auth(session, bearer)
        .expect(200);
      expect(list.body.items.map((i: Created) => [i.id, i.status])).toEqual([
        [created.id, 'revoked'],
      ]);
      const other = await create(session, { name: 'Hallway kiosk' });
      const search = async (q: string) =>
        (await t.http().get(`/api/long-lived-tokens?q=${q}`).auth(session, bearer).expect(200)).body
          .items;
      expect((await search('HALLWAY')).map((i: Created) => i.id)).toEqual([other.id]);
      expect((await search(other.prefix)).map((i: Created) => i.id)).toEqual([other.id]);
      expect(await search('nothing-like-it')).toEqual([]);
      const events = await t.db
        .getRepository(AuditEvent)
        .findBy({ targetId: created.id, action: 'long_lived_token.revoke' });
      expect(events).toHaveLength(1);
    });

    it('audits create and revoke without the secret', async () => {
      const { user, token: session } = await t.factory.session();
      const created = await create(session);
      await t
        .http()
        .delete(`/api/long-lived-tokens/${created.id}`)
        .auth(session, bearer)
        .expect(204);
      const events = await t.db
        .getRepository(AuditEvent)
        .find({ where: { targetId: created.id }, order: { id: 'ASC' } });
      expect(events.map((e) => [e.action, e.actorUserId, e.actorTokenKind, e.targetType])).toEqual([
        ['long_lived_token.create', user.id, 'session', 'long_lived_token'],
        ['long_lived_token.revoke', user.id, 'session', 'long_lived_token'],
      ]);
      expect(JSON.parse(events[0].details!)).toMatchObject({
        name: 'Kitchen tablet',
        prefix: created.prefix,
        scope: 'camera.stream',
        expires_at: created.expires_at,
      });
      for (const event of events) expect(event.details ?? '').not.toContain(created.access_token);
    });

    it('pages the list newest first with a keyset cursor', async () => {
      const { token: session } = await t.factory.session();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push((await create(session, { name: `card ${i}` })).id);
        t.clock.advanceSeconds(1);
      }
      const first = await t
        .http()
        .get('/api/long-lived-tokens?limit=2')
        .auth(session, bearer)
        .expect(200);
      expect(first.body.items.map((i: Created) => i.id)).toEqual([ids[2], ids[1]]);
      const second = await t
        .http()
        .get(`/api/long-lived-tokens?limit=2&cursor=${first.body.next_cursor}`)
        .auth(session, bearer)
        .expect(200);
      expect(second.body.items.map((i: Created) => i.id)).toEqual([ids[0]]);
      expect(second.body.next_cursor).toBeNull();
    });

    it("answers 404 for another user's token, to read and to revoke", async () => {
      const alice = await t.factory.session();
      const bob = await t.factory.session();
      const created = await create(alice.token);
      const read = await t
        .http()
        .get(`/api/long-lived-tokens/${created.id}`)
        .auth(bob.token, bearer)
        .expect(404);
      expect(read.body.error).toBe('not_found');
      await t
        .http()
        .delete(`/api/long-lived-tokens/${created.id}`)
        .auth(bob.token, bearer)
        .expect(404);
      await t
        .http()
        .delete(`/api/long-lived-tokens/${randomUUID()}`)
        .auth(bob.token, bearer)
        .expect(404);
      await t.http().get('/api/cameras').auth(created.access_token, bearer).expect(200);
      const bobs = await t.http().get('/api/long-lived-tokens').auth(bob.token, bearer).expect(200);
      expect(bobs.body.items).toEqual([]);
    });

    it('offers the long-lived scopes and the longest lifetime', async () => {
      const { token: session } = await t.factory.session();
      const res = await t
        .http()
        .get('/api/long-lived-tokens/options')
        .auth(session, bearer)
        .expect(200);
      expect(res.body).toEqual({
        scopes: [{ name: 'camera.stream', description: 'View camera streams' }],
        default_scope: 'camera.stream',
        max_days: 365,
      });
    });
  });

  describe('validation', () => {
    let session: string;
    beforeAll(async () => {
      session = (await t.factory.session()).token;
    });

    it('requires an expiry and says why "never" is refused', async () => {
      for (const body of [
        { name: 'x' },
        { name: 'x', expires_in_days: null },
        { name: 'x', expires_in_days: 'never' },
        { name: 'x', expires_in_days: 0 },
      ]) {
        const res = await post(session, body).expect(400);
        expect(res.body).toMatchObject({
          statusCode: 400,
          error: 'expiry_required',
          details: [{ field: 'expires_in_days', problems: ['expires_in_days is required'] }],
        });
        expect(res.body.message).toContain('must stop working by itself');
        expect(res.body.message).toContain('1-365');
      }
    });

    it('refuses more days than LONG_LIVED_TOKEN_MAX_DAYS, fractions and negatives', async () => {
      const tooLong = await post(session, { name: 'x', expires_in_days: 366 }).expect(400);
      expect(tooLong.body).toMatchObject({ error: 'expiry_too_long' });
      expect(tooLong.body.message).toContain('at most 365');
      for (const days of [1.5, -3, '30']) {
        const res = await post(session, { name: 'x', expires_in_days: days }).expect(400);
        expect(res.body.error).toBe('validation_failed');
        expect(res.body.message).toContain('a long-lived token always expires');
      }
      const longest = await create(session, { expires_in_days: 365 });
      const shortest = await create(session, { expires_in_days: 1 });
      // Created a moment apart, so they may straddle a second boundary.
      const apart = Date.parse(longest.expires_at) - Date.parse(shortest.expires_at);
      expect(Math.abs(apart - 364 * DAY * 1000)).toBeLessThanOrEqual(1000);
    });

    it('checks the name', async () => {
      for (const name of ['', '   ', 'x'.repeat(101), 'bad\nname', 42]) {
        const res = await post(session, { name, expires_in_days: 1 }).expect(400);
        expect(res.body.error).toBe('validation_failed');
      }
      await post(session, { expires_in_days: 1 }).expect(400);
    });

    it('holds exactly one scope, and only one registered as long-lived', async () => {
      const unknown = await post(session, {
        name: 'x',
        expires_in_days: 1,
        scope: 'nope.nope',
      }).expect(400);
      expect(unknown.body.error).toBe('unknown_scope');
      const notLongLived = await post(session, {
        name: 'x',
        expires_in_days: 1,
        scope: 'me.read',
      }).expect(400);
      expect(notLongLived.body.error).toBe('scope_not_long_lived');
      expect(notLongLived.body.message).toContain('camera.stream');
      const many = await post(session, {
        name: 'x',
        expires_in_days: 1,
        scope: ['camera.stream', 'me.read'],
      }).expect(400);
      expect(many.body.error).toBe('validation_failed');
      await post(session, { name: 'x', expires_in_days: 1, scopes: ['camera.stream'] }).expect(400);
      const explicit = await create(session, { scope: 'camera.stream' });
      expect(explicit.scope).toBe('camera.stream');
    });

    it('lets only a login session create one', async () => {
      const { token: session2 } = await t.factory.session();
      const longLived = await create(session2);
      const byLongLived = await post(longLived.access_token, {
        name: 'x',
        expires_in_days: 1,
      }).expect(403);
      expect(byLongLived.body.error).toBe('insufficient_scope');

      const client = await t
        .http()
        .post('/api/client-tokens')
        .auth(session2, bearer)
        .send({ name: 'script', scopes: ['tokens.read', 'tokens.write'] })
        .expect(201);
      const byClient = await post(client.body.access_token, {
        name: 'x',
        expires_in_days: 1,
      }).expect(403);
      expect(byClient.body.error).toBe('login_session_required');
      // A client token with tokens.* may still list and revoke (revoking is always safe).
      await t
        .http()
        .get('/api/long-lived-tokens')
        .auth(client.body.access_token, bearer)
        .expect(200);
      await t
        .http()
        .delete(`/api/long-lived-tokens/${longLived.id}`)
        .auth(client.body.access_token, bearer)
        .expect(204);
    });
  });

  describe('where a long-lived token works', () => {
    let token: string;
    let session: string;
    beforeAll(async () => {
      session = (await t.factory.session()).token;
      token = (await create(session)).access_token;
    });

    it('works on the camera routes by header', async () => {
      await t.http().get('/api/cameras').auth(token, bearer).expect(200);
      const snapshot = await t
        .http()
        .get('/api/cameras/1/snapshot')
        .auth(token, bearer)
        .expect(200);
      expect(snapshot.headers['content-type']).toBe('image/jpeg');
    });

    it('works by query string on the snapshot and stream routes only', async () => {
      const snapshot = await t
        .http()
        .get(`/api/cameras/2/snapshot?access_token=${token}`)
        .expect(200);
      expect(snapshot.headers['content-type']).toBe('image/jpeg');
      const list = await t.http().get(`/api/cameras?access_token=${token}`).expect(401);
      expect(list.body.error).toBe('invalid_token');
      await t.http().get(`/api/users/me?access_token=${token}`).expect(401);
    });

    it('is refused with 403 insufficient_scope on every other protected route', async () => {
      const document = (await t.http().get('/api/docs-json').expect(200)).body as OpenAPIObject;
      const checked: string[] = [];
      for (const [path, item] of Object.entries(document.paths)) {
        for (const method of ['get', 'post', 'patch', 'put', 'delete'] as const) {
          const operation = item[method];
          if (!operation?.security?.length) continue;
          const scopes = (operation as { 'x-required-scopes'?: string[] })['x-required-scopes'];
          if (scopes?.includes('camera.stream')) continue;
          const url = path.replace(/\{[^}]+\}/g, randomUUID());
          // Introspection also takes client credentials, as a form; RFC 7662 §2.3 wants 401.
          const asClient = operation.security.some((s) => 'client_secret_basic' in s);
          const request = t.http()[method](url).auth(token, bearer);
          const res = asClient
            ? await request.type('form').send('token=x')
            : await request.send({});
          expect({ route: `${method} ${path}`, status: res.status, error: res.body.error }).toEqual(
            {
              route: `${method} ${path}`,
              status: asClient ? 401 : 403,
              error: 'insufficient_scope',
            },
          );
          checked.push(`${method} ${path}`);
        }
      }
      expect(checked).toEqual(
        expect.arrayContaining([
          'get /api/users/me',
          'patch /api/users/me/password',
          'post /api/auth/logout',
          'get /api/long-lived-tokens',
          'post /api/long-lived-tokens',
          'delete /api/long-lived-tokens/{id}',
          'get /api/admin/long-lived-tokens',
          'post /api/client-tokens',
        ]),
      );
    });

    it('refuses a session or client token in the query string, even on the camera routes', async () => {
      await t.http().get(`/api/cameras/1/snapshot?access_token=${session}`).expect(401);
      await t.http().get(`/api/cameras/1/stream?access_token=${session}`).expect(401);
      const client = await t
        .http()
        .post('/api/client-tokens')
        .auth(session, bearer)
        .send({ name: 'camera app', scopes: ['camera.stream'] })
        .expect(201);
      const raw = client.body.access_token as string;
      await t.http().get('/api/cameras/1/snapshot').auth(raw, bearer).expect(200);
      const refused = await t.http().get(`/api/cameras/1/snapshot?access_token=${raw}`).expect(401);
      expect(refused.body.message).toContain('Only long-lived tokens');
    });

    it('stops working when its user is disabled or loses every token', async () => {
      const admin = await t.factory.session({ role: 'admin' });
      const carol = await t.factory.session();
      const first = await create(carol.token);
      await t.http().get('/api/cameras').auth(first.access_token, bearer).expect(200);
      const revoked = await t
        .http()
        .post(`/api/admin/users/${carol.user.id}/revoke-tokens`)
        .auth(admin.token, bearer)
        .expect(200);
      expect(revoked.body.revoked).toBeGreaterThanOrEqual(2); // the session and the token
      await t.http().get('/api/cameras').auth(first.access_token, bearer).expect(401);
      const row = await t.db.getRepository(LongLivedToken).findOneByOrFail({ id: first.id });
      expect(row.revokedAt).not.toBeNull();

      const dave = await t.factory.session();
      const second = await create(dave.token);
      await t.http().get('/api/cameras').auth(second.access_token, bearer).expect(200);
      await t
        .http()
        .patch(`/api/admin/users/${dave.user.id}`)
        .auth(admin.token, bearer)
        .send({ disabled: true })
        .expect(200);
      await t.http().get('/api/cameras').auth(second.access_token, bearer).expect(401);
    });
  });

  describe('admin', () => {
    it('lists everyone’s tokens with filters and keyset pagination', async () => {
      const admin = await t.factory.session({ role: 'admin' });
      const erin = await t.factory.session({ username: 'erin' });
      const frank = await t.factory.session({ username: 'frank' });
      const e1 = await create(erin.token, { name: 'Erin hallway' });
      t.clock.advanceSeconds(1);
      const e2 = await create(erin.token, { name: 'Erin garage' });
      t.clock.advanceSeconds(1);
      const f1 = await create(frank.token, { name: 'Frank porch' });
      await t.http().get('/api/cameras').auth(f1.access_token, bearer).expect(200);
      await t.flushActivity();
      const lastIp = (await t.db.getRepository(LongLivedToken).findOneByOrFail({ id: f1.id }))
        .lastUsedIp!;
      await t.http().delete(`/api/long-lived-tokens/${e1.id}`).auth(erin.token, bearer).expect(204);

      const get = (query: string) =>
        t.http().get(`/api/admin/long-lived-tokens${query}`).auth(admin.token, bearer).expect(200);
      const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((i) => i.id);

      const byErin = await get('?username=Erin');
      expect(ids(byErin)).toEqual([e2.id, e1.id]);
      expect(byErin.body.items[0]).toMatchObject({
        user_id: erin.user.id,
        username: 'erin',
        email: null,
        name: 'Erin garage',
        status: 'active',
      });
      expect(JSON.stringify(byErin.body)).not.toContain(e2.access_token);
      expect(ids(await get(`?user_id=${frank.user.id}`))).toEqual([f1.id]);
      expect(ids(await get('?username=erin&status=revoked'))).toEqual([e1.id]);
      expect(ids(await get('?username=erin&status=active'))).toEqual([e2.id]);
      expect(ids(await get(`?last_used_ip=${lastIp}&username=frank`))).toEqual([f1.id]);
      expect(ids(await get('?q=porch'))).toEqual([f1.id]);
      expect(ids(await get(`?q=${e2.prefix}`))).toEqual([e2.id]);
      expect(ids(await get('?scope=camera.stream&username=frank'))).toEqual([f1.id]);

      const page1 = await get('?username=erin&limit=1');
      expect(ids(page1)).toEqual([e2.id]);
      const page2 = await get(`?username=erin&limit=1&cursor=${page1.body.next_cursor}`);
      expect(ids(page2)).toEqual([e1.id]);
      expect(page2.body.next_cursor).toBeNull();

      for (const bad of ['?last_used_ip=nope', '?status=gone', '?user_id=1', '?cursor=zzz']) {
        await t
          .http()
          .get(`/api/admin/long-lived-tokens${bad}`)
          .auth(admin.token, bearer)
          .expect(400);
      }
    });

    it('revokes anyone’s token, audited as admin_revoke; users may not', async () => {
      const admin = await t.factory.session({ role: 'admin' });
      const gina = await t.factory.session();
      const created = await create(gina.token);
      await t.http().get('/api/cameras').auth(created.access_token, bearer).expect(200);
      const forbidden = await t
        .http()
        .get('/api/admin/long-lived-tokens')
        .auth(gina.token, bearer)
        .expect(403);
      expect(forbidden.body.error).toBe('insufficient_scope');
      await t
        .http()
        .delete(`/api/admin/long-lived-tokens/${created.id}`)
        .auth(gina.token, bearer)
        .expect(403);
      await t
        .http()
        .delete(`/api/admin/long-lived-tokens/${randomUUID()}`)
        .auth(admin.token, bearer)
        .expect(404);

      await t
        .http()
        .delete(`/api/admin/long-lived-tokens/${created.id}`)
        .auth(admin.token, bearer)
        .expect(204);
      await t.http().get('/api/cameras').auth(created.access_token, bearer).expect(401);
      const events = await t.db
        .getRepository(AuditEvent)
        .findBy({ targetId: created.id, action: 'long_lived_token.admin_revoke' });
      expect(events).toHaveLength(1);
      expect(events[0].actorUserId).toBe(admin.user.id);
      expect(JSON.parse(events[0].details!)).toMatchObject({
        user_id: gina.user.id,
        username: gina.user.username,
      });
    });
  });

  describe('activity and expiry (these tests move the clock)', () => {
    it('writes last_used_at and last_used_ip at most once a minute under repeated use', async () => {
      const { token: session } = await t.factory.session();
      const created = await create(session);
      const lastUsed = async () => {
        await t.flushActivity();
        return (await t.db.getRepository(LongLivedToken).findOneByOrFail({ id: created.id }))
          .lastUsedAt;
      };
      const use = () => t.http().get('/api/cameras').auth(created.access_token, bearer).expect(200);

      await use();
      const first = await lastUsed();
      expect(first).not.toBeNull();
      for (let i = 0; i < 5; i++) {
        t.clock.advanceSeconds(10);
        await use();
        await use();
        expect(await lastUsed()).toEqual(first);
      }
      t.clock.advanceSeconds(11); // 61 s after the first write
      await use();
      const second = await lastUsed();
      expect(second!.getTime()).toBeGreaterThanOrEqual(first!.getTime() + 60_000);
      await use();
      expect(await lastUsed()).toEqual(second);

      const listed = await t
        .http()
        .get(`/api/long-lived-tokens/${created.id}`)
        .auth(session, bearer)
        .expect(200);
      expect(listed.body.last_used_at).toBe(second!.toISOString());
      expect(listed.body.last_used_ip).toMatch(/127\.0\.0\.1|::1/);
    });

    it('fails at once when it expires, even while its principal is cached', async () => {
      const { token: session } = await t.factory.session();
      const created = await create(session, { expires_in_days: 1 });
      await t.http().get('/api/cameras').auth(created.access_token, bearer).expect(200);
      t.clock.advanceSeconds(DAY - 5);
      await t.http().get('/api/cameras').auth(created.access_token, bearer).expect(200);
      t.clock.advanceSeconds(6);
      const refused = await t
        .http()
        .get('/api/cameras')
        .auth(created.access_token, bearer)
        .expect(401);
      expect(refused.body.error).toBe('invalid_token');
      await t
        .http()
        .get(`/api/cameras/1/snapshot?access_token=${created.access_token}`)
        .expect(401);
      const shown = await t
        .http()
        .get(`/api/long-lived-tokens/${created.id}`)
        .auth(session, bearer)
        .expect(200);
      expect(shown.body.status).toBe('expired');
      const expired = await t
        .http()
        .get('/api/long-lived-tokens?status=expired')
        .auth(session, bearer)
        .expect(200);
      expect(expired.body.items.map((i: Created) => i.id)).toEqual([created.id]);
    });
  });
});
