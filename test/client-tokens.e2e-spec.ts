import { LOOPBACK } from './support/test-app.js';
import { AuditService } from '../src/audit/audit.service.js';
import { ScopeRegistry } from '../src/auth/scope.registry.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import {
  auditEvents,
  createToken,
  expectError,
  get,
  mintDeviceToken,
} from './support/client-tokens.js';

const DAY_MS = 86_400_000;

describe('client tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  describe('create', () => {
    it('returns 201 with the raw token once, and the token works', async () => {
      const { token: session, user } = await t.factory.session();
      const res = await t
        .http()
        .post('/api/client-tokens')
        .auth(session, { type: 'bearer' })
        .send({ name: 'Home Assistant', scopes: ['me.read', 'devices.read'] })
        .expect(201);
      expect(res.body).toMatchObject({
        name: 'Home Assistant',
        scopes: ['me.read', 'devices.read'],
        status: 'active',
        last_used_at: null,
        revoked_at: null,
        device: null,
      });
      expect(res.body.access_token).toMatch(/^pgc_[0-9A-Za-z]{38}$/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body.access_token.slice(4, 12)).toBe(res.body.prefix);

      const me = await get(t, '/api/users/me', res.body.access_token).expect(200);
      expect(me.body).toMatchObject({
        id: user.id,
        token_kind: 'client',
        token_id: res.body.id,
        scopes: ['me.read', 'devices.read'],
        current_device_id: null,
      });

      const shown = await get(t, `/api/client-tokens/${res.body.id}`, session).expect(200);
      expect(shown.body.access_token).toBeUndefined();
      expect(JSON.stringify(shown.body)).not.toContain(res.body.access_token);
    });

    it('records client_token.create with actor, target and ip, never the secret', async () => {
      const { token: session, user } = await t.factory.session();
      const created = await createToken(t, session);
      const [event] = await auditEvents(t, 'client_token.create', created.id);
      expect(event).toMatchObject({
        actorUserId: user.id,
        actorTokenKind: 'session',
        targetType: 'client_token',
        outcome: 'success',
      });
      expect(event.ip).toMatch(LOOPBACK);
      expect(event.details).not.toContain(created.raw);
      expect(event.details).not.toContain(created.raw.slice(4, 36));
    });

    it('group-commits concurrent creations, each token with its own event, the chain intact', async () => {
      const users = await Promise.all([t.factory.session(), t.factory.session()]);
      const created = await Promise.all(
        Array.from({ length: 30 }, (_, i) => createToken(t, users[i % 2].token)),
      );
      expect(new Set(created.map((c) => c.raw)).size).toBe(30);
      for (const [i, c] of created.entries()) {
        // Each works, belongs to its creator, and has exactly its own event.
        const me = await get(t, '/api/users/me', c.raw).expect(200);
        expect(me.body.id).toBe(users[i % 2].user.id);
        const events = await auditEvents(t, 'client_token.create', c.id);
        expect(events.map((e) => e.actorUserId)).toEqual([users[i % 2].user.id]);
      }
      expect(await t.app.get(AuditService).verify()).toMatchObject({ ok: true });
    });

    it('refuses a client token creating tokens: tokens cannot spawn tokens', async () => {
      const { token: session } = await t.factory.session();
      const { raw } = await createToken(t, session, { scopes: ['tokens.write', 'tokens.read'] });
      const res = await t
        .http()
        .post('/api/client-tokens')
        .auth(raw, { type: 'bearer' })
        .send({ name: 'child', scopes: ['me.read'] });
      expectError(res, 403, 'login_session_required');
    });

    it('refuses a long-lived token creating tokens', async () => {
      const { token: session } = await t.factory.session();
      const longLived = await t
        .http()
        .post('/api/long-lived-tokens')
        .auth(session, { type: 'bearer' })
        .send({ name: 'kiosk', scope: 'camera.stream', expires_in_days: 30 })
        .expect(201);
      const res = await t
        .http()
        .post('/api/client-tokens')
        .auth(longLived.body.access_token as string, { type: 'bearer' })
        .send({ name: 'child', scopes: ['me.read'] });
      expect(res.status).toBe(403);
    });

    it('answers 400 for an unknown scope and 403 for one the user may not hold', async () => {
      const { token: session } = await t.factory.session({ role: 'user' });
      const unknown = await t
        .http()
        .post('/api/client-tokens')
        .auth(session, { type: 'bearer' })
        .send({ name: 'x', scopes: ['me.read', 'no.such'] });
      expectError(unknown, 400, 'unknown_scope');
      expect(unknown.body.message).toContain('no.such');

      const admin = await t
        .http()
        .post('/api/client-tokens')
        .auth(session, { type: 'bearer' })
        .send({ name: 'x', scopes: ['admin'] });
      expectError(admin, 403, 'scope_not_allowed');

      const root = await t.factory.session({ role: 'admin' });
      const ok = await createToken(t, root.token, { scopes: ['admin'] });
      expect(ok.body.scopes).toEqual(['admin']);
    });

    it('validates the body', async () => {
      const { token: session } = await t.factory.session();
      for (const body of [
        {},
        { name: '', scopes: ['me.read'] },
        { name: 'x'.repeat(101), scopes: ['me.read'] },
        { name: 'x', scopes: [] },
        { name: 'x', scopes: 'me.read' },
        { name: 'x', scopes: ['me.read'], expires_in_days: 0 },
        { name: 'x', scopes: ['me.read'], ttl_seconds: 10 },
        { name: 'x', scopes: ['me.read'], expires_at: 'tomorrow' },
        { name: 'x', scopes: ['me.read'], extra: true },
        { name: 'x', scopes: ['me.read'], expires_in_days: 1, ttl_seconds: 3600 },
        { name: 'x', scopes: ['me.read'], expires_at: new Date(Date.now() - 1000).toISOString() },
      ]) {
        const res = await t
          .http()
          .post('/api/client-tokens')
          .auth(session, { type: 'bearer' })
          .send(body);
        expect({ body, status: res.status, error: res.body.error }).toEqual({
          body,
          status: 400,
          error: 'validation_failed',
        });
      }
    });
  });

  describe('options', () => {
    it('offers the scopes the caller may grant, with descriptions, and the longest lifetime', async () => {
      const { token: user } = await t.factory.session();
      const { token: admin } = await t.factory.session({ role: 'admin' });
      const forUser = await t
        .http()
        .get('/api/client-tokens/options')
        .auth(user, { type: 'bearer' })
        .expect(200);
      expect(forUser.body.max_days).toBe(3650);
      expect(forUser.body.scopes).toContainEqual({
        name: 'devices.read',
        description: 'List your paired devices',
        max_ttl_seconds: null,
      });
      const names = (body: { scopes: Array<{ name: string }> }) => body.scopes.map((s) => s.name);
      expect(names(forUser.body)).not.toContain('admin');
      const forAdmin = await t
        .http()
        .get('/api/client-tokens/options')
        .auth(admin, { type: 'bearer' })
        .expect(200);
      const adminOnly = t.app
        .get(ScopeRegistry)
        .all()
        .filter((scope) => scope.adminOnly)
        .map((scope) => scope.name);
      expect(adminOnly).toEqual(expect.arrayContaining(['admin', 'audit.read']));
      expect(names(forAdmin.body)).toEqual([...names(forUser.body), ...adminOnly].sort());
    });
  });

  describe('lifetime policy', () => {
    it('honours expires_in_days, ttl_seconds and expires_at', async () => {
      const { token: session } = await t.factory.session();
      const now = t.clock.nowMs();
      const days = await createToken(t, session, { expires_in_days: 30 });
      expect(Date.parse(days.body.expires_at as string)).toBeCloseTo(now + 30 * DAY_MS, -4);
      const ttl = await createToken(t, session, { ttl_seconds: 600 });
      expect(Date.parse(ttl.body.expires_at as string)).toBeCloseTo(now + 600_000, -4);
      const at = new Date(now + 7 * DAY_MS);
      const abs = await createToken(t, session, { expires_at: at.toISOString() });
      expect(Date.parse(abs.body.expires_at as string)).toBeCloseTo(at.getTime(), -4);
    });

    it('clamps "never" and too-long lifetimes to CLIENT_TOKEN_MAX_TTL_DAYS (3650)', async () => {
      const { token: session } = await t.factory.session();
      const cap = t.clock.nowMs() + 3650 * DAY_MS;
      const never = await createToken(t, session, { expires_at: null });
      expect(Date.parse(never.body.expires_at as string)).toBeCloseTo(cap, -4);
      const long = await createToken(t, session, { expires_in_days: 36500 });
      expect(Date.parse(long.body.expires_at as string)).toBeCloseTo(cap, -4);
    });

    it('clamps a token holding the bootstrap scope to one hour', async () => {
      expect(t.app.get(ScopeRegistry).get('bootstrap')).toMatchObject({ maxTtlSeconds: 3600 });
      const { token: session } = await t.factory.session();
      const now = t.clock.nowMs();
      const res = await createToken(t, session, {
        scopes: ['me.read', 'bootstrap'],
        expires_in_days: 30,
      });
      expect(Date.parse(res.body.expires_at as string)).toBeCloseTo(now + 3600_000, -4);
      const [event] = await auditEvents(t, 'client_token.create', res.id);
      expect(JSON.parse(event.details!)).toMatchObject({ expiry_clamped: true });

      const short = await createToken(t, session, { scopes: ['bootstrap'], ttl_seconds: 600 });
      expect(Date.parse(short.body.expires_at as string)).toBeCloseTo(now + 600_000, -4);

      // A device-flow mint obeys the same policy.
      const { user } = await t.factory.session();
      const minted = await mintDeviceToken(t, user.id, { scopes: ['bootstrap'], expiresAt: null });
      expect(minted.expiresAt!.getTime()).toBeCloseTo(t.clock.nowMs() + 3600_000, -4);
    });

    it('refuses an expired token on the next request', async () => {
      const { token: session } = await t.factory.session();
      const { raw, id } = await createToken(t, session, { ttl_seconds: 120 });
      await get(t, '/api/users/me', raw).expect(200);
      t.clock.advanceSeconds(121);
      expectError(await get(t, '/api/users/me', raw), 401, 'invalid_token');
      const shown = await get(t, `/api/client-tokens/${id}`, session).expect(200);
      expect(shown.body.status).toBe('expired');
    });
  });

  describe('list, get, rename', () => {
    it('lists only your own tokens, newest first, with keyset pagination and filters', async () => {
      const { token: session, user } = await t.factory.session();
      const other = await t.factory.session();
      await createToken(t, other.token, { name: 'not mine' });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await createToken(t, session, { name: `token ${i}` })).id);
        t.clock.advanceSeconds(1);
      }
      const minted = await mintDeviceToken(t, user.id, { identifier: 'list-tv' });

      const first = await get(t, '/api/client-tokens?limit=3', session).expect(200);
      expect(first.body.items.map((i: { id: string }) => i.id)).toEqual([
        minted.tokenId,
        ids[4],
        ids[3],
      ]);
      expect(first.body.items[0].device).toEqual({
        id: minted.deviceId,
        name: 'Playnite on android-tv',
      });
      expect(first.body.items[1]).toMatchObject({ device: null, last_used_ip: null });
      const second = await get(
        t,
        `/api/client-tokens?limit=3&cursor=${first.body.next_cursor}`,
        session,
      ).expect(200);
      expect(second.body.items.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1], ids[0]]);
      expect(second.body.next_cursor).toBeNull();

      await t
        .http()
        .delete(`/api/client-tokens/${ids[0]}`)
        .auth(session, { type: 'bearer' })
        .expect(204);
      const revoked = await get(t, '/api/client-tokens?status=revoked', session).expect(200);
      expect(revoked.body.items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
      const active = await get(t, '/api/client-tokens?status=active', session).expect(200);
      expect(active.body.items).toHaveLength(5);
      const byDevice = await get(
        t,
        `/api/client-tokens?device_id=${minted.deviceId}`,
        session,
      ).expect(200);
      expect(byDevice.body.items.map((i: { id: string }) => i.id)).toEqual([minted.tokenId]);
      // `q` searches your own tokens by name or prefix, never another user's. (With a
      // space: no random base62 prefix can hold it.)
      const byName = await get(t, '/api/client-tokens?q=TOKEN%203', session).expect(200);
      expect(byName.body.items.map((i: { id: string }) => i.id)).toEqual([ids[3]]);
      const mine = await get(t, '/api/client-tokens?q=mine', session).expect(200);
      expect(mine.body.items).toEqual([]);
      const withStatus = await get(t, '/api/client-tokens?q=t&status=revoked', session);
      expect(withStatus.body.items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);

      expectError(
        await get(t, '/api/client-tokens?status=nope', session),
        400,
        'validation_failed',
      );
      expectError(await get(t, '/api/client-tokens?cursor=zzz', session), 400, 'validation_failed');
    });

    it('shows last use and IP after the token is used', async () => {
      const { token: session } = await t.factory.session();
      const { raw, id } = await createToken(t, session);
      await get(t, '/api/users/me', raw).expect(200);
      await t.flushActivity();
      const shown = await get(t, `/api/client-tokens/${id}`, session).expect(200);
      expect(shown.body.last_used_at).not.toBeNull();
      expect(shown.body.last_used_ip).toMatch(LOOPBACK);
    });

    it('renames a token and audits it', async () => {
      const { token: session } = await t.factory.session();
      const { id } = await createToken(t, session, { scopes: ['tokens.write', 'tokens.read'] });
      const res = await t
        .http()
        .patch(`/api/client-tokens/${id}`)
        .auth(session, { type: 'bearer' })
        .send({ name: '  Kitchen tablet ' })
        .expect(200);
      expect(res.body.name).toBe('Kitchen tablet');
      expect((await get(t, `/api/client-tokens/${id}`, session)).body.name).toBe('Kitchen tablet');
      expect(await auditEvents(t, 'client_token.rename', id)).toHaveLength(1);
      const bad = await t
        .http()
        .patch(`/api/client-tokens/${id}`)
        .auth(session, { type: 'bearer' })
        .send({ name: '' });
      expectError(bad, 400, 'validation_failed');
    });

    it('needs tokens.read to list and tokens.write to change', async () => {
      const { token: session } = await t.factory.session();
      const { raw, id } = await createToken(t, session, { scopes: ['me.read'] });
      expectError(await get(t, '/api/client-tokens', raw), 403, 'insufficient_scope');
      const res = await t.http().delete(`/api/client-tokens/${id}`).auth(raw, { type: 'bearer' });
      expectError(res, 403, 'insufficient_scope');
    });
  });

  describe('revoke', () => {
    it('revokes with 204, the token fails on the very next request, and it is audited once', async () => {
      const { token: session } = await t.factory.session();
      const { raw, id } = await createToken(t, session);
      await get(t, '/api/users/me', raw).expect(200); // now cached
      await t
        .http()
        .delete(`/api/client-tokens/${id}`)
        .auth(session, { type: 'bearer' })
        .expect(204);
      expectError(await get(t, '/api/users/me', raw), 401, 'invalid_token');
      const shown = await get(t, `/api/client-tokens/${id}`, session).expect(200);
      expect(shown.body).toMatchObject({ status: 'revoked' });
      expect(shown.body.revoked_at).not.toBeNull();
      await t
        .http()
        .delete(`/api/client-tokens/${id}`)
        .auth(session, { type: 'bearer' })
        .expect(204);
      const events = await auditEvents(t, 'client_token.revoke', id);
      expect(events).toHaveLength(1);
      expect(events[0].ip).toMatch(LOOPBACK);
    });

    it('lets a client token revoke itself', async () => {
      const { token: session } = await t.factory.session();
      const { raw, id } = await createToken(t, session, { scopes: ['me.read', 'tokens.write'] });
      await t.http().delete(`/api/client-tokens/${id}`).auth(raw, { type: 'bearer' }).expect(204);
      expectError(await get(t, '/api/users/me', raw), 401, 'invalid_token');
    });
  });

  describe('rotate', () => {
    it('returns a new secret for the same token; the old one fails at once and its reuse is audited', async () => {
      const { token: session, user } = await t.factory.session();
      const minted = await mintDeviceToken(t, user.id, { identifier: 'rotate-tv' });
      await get(t, '/api/users/me', minted.raw).expect(200); // cached
      const res = await t
        .http()
        .post(`/api/client-tokens/${minted.tokenId}/rotate`)
        .auth(session, { type: 'bearer' })
        .expect(200);
      expect(res.body).toMatchObject({
        id: minted.tokenId,
        scopes: minted.scopes,
        device: { id: minted.deviceId },
        status: 'active',
      });
      expect(res.body.access_token).not.toBe(minted.raw);
      expect(res.body.rotated_at).not.toBeNull();

      expectError(await get(t, '/api/users/me', minted.raw), 401, 'invalid_token');
      const me = await get(t, '/api/users/me', res.body.access_token).expect(200);
      expect(me.body).toMatchObject({
        token_id: minted.tokenId,
        current_device_id: minted.deviceId,
      });

      const rotated = await auditEvents(t, 'client_token.rotate', minted.tokenId);
      expect(rotated).toHaveLength(1);
      expect(rotated[0].details).not.toContain(res.body.access_token);
      const [reuse] = await auditEvents(t, 'client_token.reuse_after_rotation', minted.tokenId);
      expect(reuse).toMatchObject({ outcome: 'denied', targetType: 'client_token' });
      expect(reuse.ip).toMatch(LOOPBACK);
      expect(JSON.parse(reuse.details!)).toMatchObject({ user_id: user.id });

      // A burst of replays is recorded once a minute, not once per request.
      await get(t, '/api/users/me', minted.raw).expect(401);
      expect(
        await auditEvents(t, 'client_token.reuse_after_rotation', minted.tokenId),
      ).toHaveLength(1);
      t.clock.advanceSeconds(61);
      await get(t, '/api/users/me', minted.raw).expect(401);
      expect(
        await auditEvents(t, 'client_token.reuse_after_rotation', minted.tokenId),
      ).toHaveLength(2);
    });

    it('does not audit a revoked (never rotated) token as reuse', async () => {
      const { token: session } = await t.factory.session();
      const { raw, id } = await createToken(t, session);
      await t
        .http()
        .delete(`/api/client-tokens/${id}`)
        .auth(session, { type: 'bearer' })
        .expect(204);
      await get(t, '/api/users/me', raw).expect(401);
      expect(await auditEvents(t, 'client_token.reuse_after_rotation', id)).toHaveLength(0);
    });

    it('lets a client token rotate itself but not another token', async () => {
      const { token: session } = await t.factory.session();
      const a = await createToken(t, session, { scopes: ['me.read', 'tokens.write'] });
      const b = await createToken(t, session);
      const other = await t
        .http()
        .post(`/api/client-tokens/${b.id}/rotate`)
        .auth(a.raw, { type: 'bearer' });
      expectError(other, 403, 'login_session_required');
      const self = await t
        .http()
        .post(`/api/client-tokens/${a.id}/rotate`)
        .auth(a.raw, { type: 'bearer' })
        .expect(200);
      await get(t, '/api/users/me', self.body.access_token).expect(200);
      await get(t, '/api/users/me', a.raw).expect(401);
    });

    it('refuses to rotate a revoked or expired token with 409', async () => {
      const { token: session } = await t.factory.session();
      const revoked = await createToken(t, session);
      await t
        .http()
        .delete(`/api/client-tokens/${revoked.id}`)
        .auth(session, { type: 'bearer' })
        .expect(204);
      const r1 = await t
        .http()
        .post(`/api/client-tokens/${revoked.id}/rotate`)
        .auth(session, { type: 'bearer' });
      expectError(r1, 409, 'token_not_active');
      const expiring = await createToken(t, session, { ttl_seconds: 60 });
      t.clock.advanceSeconds(61);
      const r2 = await t
        .http()
        .post(`/api/client-tokens/${expiring.id}/rotate`)
        .auth(session, { type: 'bearer' });
      expectError(r2, 409, 'token_not_active');
    });
  });

  describe("another user's tokens", () => {
    it('answer 404 to read, rename, pair, rotate and revoke, and stay untouched', async () => {
      const alice = await t.factory.session();
      const bob = await t.factory.session();
      const bobs = await createToken(t, bob.token);
      const attempts = [
        t.http().get(`/api/client-tokens/${bobs.id}`),
        t.http().patch(`/api/client-tokens/${bobs.id}`).send({ name: 'mine now' }),
        t.http().post(`/api/client-tokens/${bobs.id}/pair`),
        t.http().post(`/api/client-tokens/${bobs.id}/rotate`),
        t.http().delete(`/api/client-tokens/${bobs.id}`),
      ];
      for (const attempt of attempts) {
        expectError(await attempt.auth(alice.token, { type: 'bearer' }), 404, 'not_found');
      }
      const list = await get(t, '/api/client-tokens', alice.token).expect(200);
      expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(bobs.id);
      const still = await get(t, `/api/client-tokens/${bobs.id}`, bob.token).expect(200);
      expect(still.body).toMatchObject({ name: 'test token', status: 'active', rotated_at: null });
      await get(t, '/api/users/me', bobs.raw).expect(200);
      // An id nobody has answers the same.
      const unknown = await get(
        t,
        '/api/client-tokens/00000000-0000-4000-8000-000000000000',
        alice.token,
      );
      expectError(unknown, 404, 'not_found');
    });
  });
});
