import { LOOPBACK } from './support/test-app.js';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { AuditService } from '../src/audit/audit.service.js';
import { Transactions } from '../src/common/database/transactions.js';
import { DeviceAuthorization } from '../src/device-flow/device-authorization.entity.js';
import { DeviceAuthorizationWriter } from '../src/device-flow/device-authorization.writer.js';
import {
  approve,
  auditEvents,
  chainedEventCount,
  chainPositions,
  deny,
  initDevice,
  pending,
  poll,
  RELAXED_LIMITS,
} from './support/device-flow.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const PUBLIC_URL = 'https://pair.example.test';

describe('device flow (JSON API)', () => {
  let t: TestApp;
  let alice: { token: string; user: { id: string; username: string } };

  beforeAll(async () => {
    t = await createTestApp({ ...RELAXED_LIMITS, PUBLIC_URL });
    alice = await t.factory.session();
  });
  afterAll(() => t?.close());

  describe('init', () => {
    it('returns a device code, a XXXX-XXXX user code, the pairing links and the timings', async () => {
      const body = await initDevice(t);
      expect(body.device_code).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(body.device_code, 'base64url')).toHaveLength(32);
      expect(body.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
      expect(body.verification_uri).toBe(`${PUBLIC_URL}/pair/device`);
      expect(body.verification_uri_complete).toBe(
        `${PUBLIC_URL}/pair/device?user_code=${body.user_code}`,
      );
      expect(body.qr_url).toBe(`${PUBLIC_URL}/api/auth/device/qr?user_code=${body.user_code}`);
      expect(body.expires_in).toBe(600);
      expect(body.interval).toBe(5);
    });

    it('stores only a keyed hash of the device code, and the user code without its dash', async () => {
      const body = await initDevice(t);
      const row = await t.db
        .getRepository(DeviceAuthorization)
        .findOneByOrFail({ userCode: body.user_code.replace('-', '') });
      const expected = createHmac('sha256', process.env.TOKEN_PEPPER!)
        .update(body.device_code)
        .digest('hex');
      expect(row.deviceCodeHash).toBe(expected);
      const raw = JSON.stringify(await t.db.query('SELECT * FROM device_authorizations'));
      expect(raw).not.toContain(body.device_code);
      expect(row.status).toBe('pending');
      expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(600_000);
    });

    it('gives every live request its own user code', async () => {
      const codes = new Set<string>();
      for (let i = 0; i < 30; i++) codes.add((await initDevice(t)).user_code);
      expect(codes.size).toBe(30);
    });

    it('keys requests in the order they were made (UUIDv7), so inserts append to the table', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const body = await initDevice(t);
        const row = await t.db
          .getRepository(DeviceAuthorization)
          .findOneByOrFail({ userCode: body.user_code.replace('-', '') });
        ids.push(row.id);
        // A millisecond apart at least: the random part orders ids made within one.
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab]/);
      expect([...ids].sort()).toEqual(ids);
    });

    it('group-commits concurrent requests, each with its own audit event, the chain intact', async () => {
      const before = (await auditEvents(t, 'device_flow.init')).length;
      const bodies = await Promise.all(Array.from({ length: 40 }, () => initDevice(t)));
      expect(new Set(bodies.map((b) => b.user_code)).size).toBe(40);
      const events = await auditEvents(t, 'device_flow.init');
      expect(events.length - before).toBe(40);
      const targets = new Set(events.slice(before).map((e) => e.target_id));
      const rows = await t.db
        .getRepository(DeviceAuthorization)
        .findBy({ userCode: In(bodies.map((b) => b.user_code.replace('-', ''))) });
      expect(rows.map((r) => r.id).every((id) => targets.has(id))).toBe(true);
      expect(await t.app.get(AuditService).verify()).toMatchObject({ ok: true });
    });

    it("chains the events in the batch's own transaction: in the chain when the answers leave", async () => {
      const chained = () => chainedEventCount(t, 'device_flow.init');
      await t.sealAudit();
      const before = await chained();
      await Promise.all(Array.from({ length: 5 }, () => initDevice(t)));
      // No seal asked for or waited on: the batch wrote them into the chain itself.
      expect(await chained()).toBe(before + 5);
      expect(await t.db.query('SELECT id FROM audit_pending')).toEqual([]);
      expect(await t.app.get(AuditService).verify()).toMatchObject({ ok: true });
    });

    it('keeps one unbroken chain when batches and sealed single writes interleave', async () => {
      const audit = t.app.get(AuditService);
      const transactions = t.app.get(Transactions);
      const before = (await chainPositions(t)).ids.length;
      await Promise.all([
        ...Array.from({ length: 30 }, () => initDevice(t)),
        ...Array.from({ length: 30 }, (_, i) =>
          transactions.run((manager) =>
            audit.record(manager, { action: 'test.interleaved', details: { i } }),
          ),
        ),
      ]);
      await t.sealAudit();
      const { ids, consecutive } = await chainPositions(t);
      expect(ids.length - before).toBe(60);
      // Consecutive positions: no gap, no position taken twice.
      expect(consecutive).toBe(true);
      expect(await audit.verify()).toMatchObject({ ok: true });
    });

    it('fails only the request whose user code collides when a batch is written', async () => {
      const existing = await initDevice(t);
      const writer = t.app.get(DeviceAuthorizationWriter);
      const template = await t.db
        .getRepository(DeviceAuthorization)
        .findOneByOrFail({ userCode: existing.user_code.replace('-', '') });
      const rowWith = (userCode: string) =>
        Object.assign(new DeviceAuthorization(), template, {
          id: randomUUID(),
          deviceCodeHash: randomBytes(32).toString('hex'),
          userCode,
        });
      const audit = { action: 'device_flow.init', details: { test: true } };
      const results = await Promise.allSettled([
        writer.insert(rowWith('BBBBBBBB'), audit),
        writer.insert(rowWith(template.userCode), audit),
        writer.insert(rowWith('CCCCCCCC'), audit),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await t.app.get(AuditService).verify()).toMatchObject({ ok: true });
    });

    it('refuses unknown scopes and an empty scope list', async () => {
      const unknown = await t
        .http()
        .post('/api/auth/device/init')
        .send({ client_device_identifier: 'x', scopes: ['me.read', 'rockets.launch'] })
        .expect(400);
      expect(unknown.body).toMatchObject({ statusCode: 400, error: 'unknown_scope' });
      expect(unknown.body.message).toContain('rockets.launch');
      const empty = await t
        .http()
        .post('/api/auth/device/init')
        .send({ client_device_identifier: 'x', scopes: [] })
        .expect(400);
      expect(empty.body.error).toBe('validation_failed');
    });

    it('requires a device identifier', async () => {
      const res = await t
        .http()
        .post('/api/auth/device/init')
        .send({ scopes: ['me.read'] })
        .expect(400);
      expect(res.body.details[0].field).toBe('client_device_identifier');
    });

    it('records device_flow.init with the IP and client, never the codes', async () => {
      const body = await initDevice(t, { client_id: 'some-tv-app' });
      const events = await auditEvents(t, 'device_flow.init');
      const event = events.at(-1)!;
      expect(event.ip).toMatch(LOOPBACK);
      expect(event.details).toMatchObject({
        client_id: 'some-tv-app',
        client_name: 'Test TV',
        registered_client: false,
        scopes: ['me.read', 'devices.read'],
      });
      const all = JSON.stringify(await t.db.query('SELECT * FROM audit_events'));
      expect(all).not.toContain(body.device_code);
      expect(all).not.toContain(body.user_code);
      expect(all).not.toContain(body.user_code.replace('-', ''));
    });
  });

  describe('pending', () => {
    it('shows what the device asks for, with scope descriptions, address and times', async () => {
      const body = await initDevice(t, {
        client_id: 'tv-app',
        device_name: 'Living-room TV',
        scopes: ['me.read', 'devices.read', 'admin'],
      });
      const res = await pending(t, alice.token, body.user_code).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toMatchObject({
        user_code: body.user_code,
        client_id: 'tv-app',
        client_name: 'Test TV',
        client_verified: false,
        client_device_identifier: expect.stringMatching(/^device-/),
        device_name: 'Living-room TV',
        platform: 'tv-os',
        client_version: '1.0.0',
        scopes: [
          { name: 'me.read', description: 'Read your profile', grantable: true },
          { name: 'devices.read', description: 'List your paired devices', grantable: true },
          { name: 'admin', description: expect.any(String), grantable: false },
        ],
      });
      expect(res.body.ip).toMatch(LOOPBACK);
      expect(
        new Date(res.body.expires_at).getTime() - new Date(res.body.created_at).getTime(),
      ).toBe(600_000);
    });

    it('accepts the user code in any case, with or without the dash', async () => {
      const body = await initDevice(t);
      const bare = body.user_code.replace('-', '');
      for (const form of [body.user_code, bare, bare.toLowerCase(), body.user_code.toLowerCase()]) {
        await pending(t, alice.token, form).expect(200);
      }
    });

    it('gives unknown, expired and finished codes the same 404', async () => {
      const unknown = await pending(t, alice.token, 'BCDF-GHJK');
      const denied = await initDevice(t);
      await deny(t, alice.token, denied.user_code).expect(200);
      const approved = await initDevice(t);
      await approve(t, alice.token, { user_code: approved.user_code }).expect(200);
      const answers = [unknown, await pending(t, alice.token, denied.user_code)];
      answers.push(await pending(t, alice.token, approved.user_code));
      const expiring = await initDevice(t);
      t.clock.advanceSeconds(601);
      answers.push(await pending(t, alice.token, expiring.user_code));
      for (const res of answers) {
        expect(res.status).toBe(404);
        expect(res.body).toEqual(answers[0].body);
      }
    });

    it('refuses malformed codes and needs me.read', async () => {
      await pending(t, alice.token, 'AEIO-UAEI').expect(400);
      await t.http().get('/api/auth/device/pending?user_code=BCDF-GHJK').expect(401);
    });
  });

  describe('approve and collect', () => {
    it('mints the token when the device collects it, bound to a device, with the audit trail', async () => {
      const body = await initDevice(t, { client_device_identifier: 'tv-serial-1' });
      await poll(t, body.device_code).expect(400);
      // "Never" is the longest the client-token policy allows (CLIENT_TOKEN_MAX_TTL_DAYS), and
      // the answer says so: 3650 days from the approval, in whole seconds.
      const approvedFrom = Math.floor(t.clock.nowMs() / 1000) * 1000;
      const approval = await approve(t, alice.token, { user_code: body.user_code }).expect(200);
      const approvedBy = Math.floor(t.clock.nowMs() / 1000) * 1000;
      const cap = new Date(approval.body.token_expires_at);
      expect(cap.getTime() - 3650 * 86_400_000).toBeGreaterThanOrEqual(approvedFrom);
      expect(cap.getTime() - 3650 * 86_400_000).toBeLessThanOrEqual(approvedBy);
      expect(approval.body).toEqual({
        user_code: body.user_code,
        status: 'approved',
        scopes: ['me.read', 'devices.read'],
        name: null,
        token_expires_at: cap.toISOString(),
        expiry_clamped: true,
      });
      // Approved but not collected: no token exists yet.
      const before = await t.db.getRepository(DeviceAuthorization).findOneByOrFail({
        userCode: body.user_code.replace('-', ''),
      });
      expect(before.status).toBe('approved');
      expect(before.issuedTokenId).toBeNull();

      t.clock.advanceSeconds(5);
      const sent = t.clock.nowMs();
      const res = await poll(t, body.device_code).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toMatchObject({
        access_token: expect.stringMatching(/^pgc_/),
        token_type: 'Bearer',
        scope: 'me.read devices.read',
        device_id: expect.any(String),
      });
      // What was left at some moment while the poll was answered.
      const left = (at: number) => Math.floor((cap.getTime() - at) / 1000);
      expect(res.body.expires_in).toBeLessThanOrEqual(left(sent));
      expect(res.body.expires_in).toBeGreaterThanOrEqual(left(t.clock.nowMs()));
      const after = await t.db
        .getRepository(DeviceAuthorization)
        .findOneByOrFail({ id: before.id });
      expect(after.status).toBe('consumed');
      expect(after.deviceId).toBe(res.body.device_id);
      expect(after.issuedTokenId).toMatch(/^[0-9a-f-]{36}$/);

      const me = await t
        .http()
        .get('/api/users/me')
        .set('authorization', `Bearer ${res.body.access_token}`)
        .expect(200);
      expect(me.body).toMatchObject({
        id: alice.user.id,
        token_kind: 'client',
        scopes: ['me.read', 'devices.read'],
        current_device_id: res.body.device_id,
      });

      const issued = (await auditEvents(t, 'device_flow.token_issued')).at(-1)!;
      expect(issued).toMatchObject({
        target_id: before.id,
        actor_user_id: alice.user.id,
        details: { token_id: after.issuedTokenId, device_id: res.body.device_id },
      });
      const approved = (await auditEvents(t, 'device_flow.approve')).at(-1)!;
      expect(approved).toMatchObject({ target_id: before.id, actor_user_id: alice.user.id });
      const all = JSON.stringify(await t.db.query('SELECT * FROM audit_events'));
      expect(all).not.toContain(res.body.access_token);
      expect(all).not.toContain(body.device_code);
    });

    it('reuses the Device when the same device pairs again for the same user', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const body = await initDevice(t, { client_device_identifier: 'console-42' });
        await approve(t, alice.token, { user_code: body.user_code }).expect(200);
        ids.push((await poll(t, body.device_code).expect(200)).body.device_id);
      }
      expect(ids[1]).toBe(ids[0]);
      const bob = await t.factory.session();
      const body = await initDevice(t, { client_device_identifier: 'console-42' });
      await approve(t, bob.token, { user_code: body.user_code }).expect(200);
      const bobs = await poll(t, body.device_code).expect(200);
      expect(bobs.body.device_id).not.toBe(ids[0]);
    });

    it('lets the approver narrow scopes, rename and set an expiry', async () => {
      const body = await initDevice(t, { scopes: ['me.read', 'devices.read', 'tokens.read'] });
      const approval = await approve(t, alice.token, {
        user_code: body.user_code,
        scopes: ['me.read'],
        name: 'Kitchen tablet',
        expires_in_days: 30,
      }).expect(200);
      expect(approval.body.scopes).toEqual(['me.read']);
      expect(approval.body.name).toBe('Kitchen tablet');
      const res = await poll(t, body.device_code).expect(200);
      expect(res.body.scope).toBe('me.read');
      expect(res.body.expires_in).toBeGreaterThan(30 * 86400 - 60);
      expect(res.body.expires_in).toBeLessThanOrEqual(30 * 86400);
      const me = await t
        .http()
        .get('/api/users/me')
        .set('authorization', `Bearer ${res.body.access_token}`)
        .expect(200);
      expect(me.body.scopes).toEqual(['me.read']);
    });

    it('accepts an explicit expires_at, and refuses a past one or both expiry fields', async () => {
      const body = await initDevice(t);
      const past = new Date(t.clock.nowMs() - 1000).toISOString();
      const refused = await approve(t, alice.token, {
        user_code: body.user_code,
        expires_at: past,
      });
      expect(refused.status).toBe(400);
      const both = await approve(t, alice.token, {
        user_code: body.user_code,
        expires_at: new Date(t.clock.nowMs() + 86400_000).toISOString(),
        expires_in_days: 2,
      });
      expect(both.status).toBe(400);
      const at = new Date(t.clock.nowMs() + 3 * 86400_000);
      at.setUTCMilliseconds(0);
      const ok = await approve(t, alice.token, {
        user_code: body.user_code,
        expires_at: at.toISOString(),
      }).expect(200);
      expect(ok.body.token_expires_at).toBe(at.toISOString());
      const res = await poll(t, body.device_code).expect(200);
      expect(res.body.expires_in).toBeGreaterThan(3 * 86400 - 60);
    });

    it('only narrows: a scope the device did not ask for is refused', async () => {
      const body = await initDevice(t, { scopes: ['me.read'] });
      const res = await approve(t, alice.token, {
        user_code: body.user_code,
        scopes: ['me.read', 'tokens.write'],
      }).expect(400);
      expect(res.body.error).toBe('scope_not_requested');
      await pending(t, alice.token, body.user_code).expect(200);
    });

    it('refuses to grant a scope the approver does not hold', async () => {
      const body = await initDevice(t, { scopes: ['me.read', 'admin'] });
      const res = await approve(t, alice.token, { user_code: body.user_code }).expect(403);
      expect(res.body.error).toBe('scope_not_allowed');
      expect(res.body.message).toContain('admin');
      await approve(t, alice.token, { user_code: body.user_code, scopes: ['me.read'] }).expect(200);

      const admin = await t.factory.session({ role: 'admin' });
      const forAdmin = await initDevice(t, { scopes: ['me.read', 'admin'] });
      await approve(t, admin.token, { user_code: forAdmin.user_code }).expect(200);
      expect((await poll(t, forAdmin.device_code).expect(200)).body.scope).toBe('me.read admin');
    });

    it('lets no token approve or deny, whatever it holds: a token must not mint a token', async () => {
      // A device token holding me.write, and a client token holding every scope.
      const grantor = await initDevice(t, { scopes: ['me.read', 'me.write'] });
      await approve(t, alice.token, { user_code: grantor.user_code }).expect(200);
      const deviceToken = (await poll(t, grantor.device_code).expect(200)).body
        .access_token as string;
      const everything = await t
        .http()
        .post('/api/client-tokens')
        .auth(alice.token, { type: 'bearer' })
        .send({
          name: 'all',
          scopes: [
            'me.read',
            'me.write',
            'tokens.read',
            'tokens.write',
            'devices.read',
            'devices.write',
          ],
        })
        .expect(201);
      const clientToken = (everything.body.access_token ?? everything.body.access_token) as string;
      const body = await initDevice(t);
      for (const token of [deviceToken, clientToken]) {
        const approved = await approve(t, token, { user_code: body.user_code }).expect(403);
        expect(approved.body.error).toBe('login_session_required');
        const denied = await deny(t, token, body.user_code).expect(403);
        expect(denied.body.error).toBe('login_session_required');
      }
      // Still pending: the person can decide with their session.
      expect((await poll(t, body.device_code).expect(400)).body.error).toBe(
        'authorization_pending',
      );
      await approve(t, alice.token, { user_code: body.user_code }).expect(200);
    });

    it('needs a signed-in person to approve or deny', async () => {
      const body = await initDevice(t);
      await approve(t, '', { user_code: body.user_code }).expect(401);
    });
  });

  describe('device token rules', () => {
    it('answers authorization_pending with the interval while the user has not decided', async () => {
      const body = await initDevice(t);
      const res = await poll(t, body.device_code).expect(400);
      expect(res.body).toEqual({
        error: 'authorization_pending',
        error_description: expect.any(String),
        interval: 5,
      });
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('slows down a poll sooner than the interval, grows it by 5 s, and accepts one that waits', async () => {
      const body = await initDevice(t);
      await poll(t, body.device_code).expect(400);
      t.clock.advanceSeconds(2);
      const fast = await poll(t, body.device_code).expect(400);
      expect(fast.body).toMatchObject({ error: 'slow_down', interval: 10 });
      // The old interval is no longer enough...
      t.clock.advanceSeconds(6);
      expect((await poll(t, body.device_code)).body).toMatchObject({
        error: 'slow_down',
        interval: 15,
      });
      // ...and a client that waits the new one is pending again, then collects.
      t.clock.advanceSeconds(15);
      expect((await poll(t, body.device_code)).body).toMatchObject({
        error: 'authorization_pending',
        interval: 15,
      });
      await approve(t, alice.token, { user_code: body.user_code }).expect(200);
      t.clock.advanceSeconds(15);
      await poll(t, body.device_code).expect(200);
    });

    it('allows 10 % jitter before slowing down', async () => {
      const body = await initDevice(t);
      await poll(t, body.device_code).expect(400);
      t.clock.advance(4_600);
      expect((await poll(t, body.device_code)).body.error).toBe('authorization_pending');
      t.clock.advance(4_300);
      expect((await poll(t, body.device_code)).body.error).toBe('slow_down');
    });

    it('caps the interval at 60 s', async () => {
      const body = await initDevice(t);
      await poll(t, body.device_code).expect(400);
      let interval = 0;
      for (let i = 0; i < 14; i++) interval = (await poll(t, body.device_code)).body.interval;
      expect(interval).toBe(60);
      t.clock.advanceSeconds(60);
      expect((await poll(t, body.device_code)).body).toMatchObject({
        error: 'authorization_pending',
        interval: 60,
      });
    });

    it('answers access_denied after a deny, and records it', async () => {
      const body = await initDevice(t);
      await poll(t, body.device_code).expect(400);
      const res = await deny(t, alice.token, body.user_code).expect(200);
      expect(res.body).toEqual({ user_code: body.user_code, status: 'denied' });
      t.clock.advanceSeconds(5);
      expect((await poll(t, body.device_code).expect(400)).body.error).toBe('access_denied');
      const event = (await auditEvents(t, 'device_flow.deny')).at(-1)!;
      expect(event.actor_user_id).toBe(alice.user.id);
      await approve(t, alice.token, { user_code: body.user_code }).expect(404);
    });

    it('answers expired_token once the code has expired, approved or not', async () => {
      const waiting = await initDevice(t);
      const approved = await initDevice(t);
      await poll(t, waiting.device_code).expect(400);
      await approve(t, alice.token, { user_code: approved.user_code }).expect(200);
      t.clock.advanceSeconds(601);
      expect((await poll(t, waiting.device_code)).body.error).toBe('expired_token');
      expect((await poll(t, approved.device_code)).body.error).toBe('expired_token');
      await approve(t, alice.token, { user_code: waiting.user_code }).expect(404);
    });

    it('refuses a second collection with invalid_grant and revokes the token it minted', async () => {
      const body = await initDevice(t);
      await approve(t, alice.token, { user_code: body.user_code }).expect(200);
      const first = await poll(t, body.device_code).expect(200);
      const token = first.body.access_token as string;
      await t.http().get('/api/users/me').set('authorization', `Bearer ${token}`).expect(200);

      const second = await poll(t, body.device_code).expect(400);
      expect(second.body.error).toBe('invalid_grant');
      await t.http().get('/api/users/me').set('authorization', `Bearer ${token}`).expect(401);

      const reuse = (await auditEvents(t, 'device_flow.code_reuse')).at(-1)!;
      expect(reuse.outcome).toBe('denied');
      expect(reuse.details).toMatchObject({ token_revoked: true });
      // A third replay is refused the same way; the token stays revoked.
      expect((await poll(t, body.device_code).expect(400)).body.error).toBe('invalid_grant');
    });

    it('answers invalid_grant to unknown or malformed device codes', async () => {
      for (const code of ['A'.repeat(43), 'nope', 'x'.repeat(128)]) {
        const res = await poll(t, code).expect(400);
        expect(res.body.error).toBe('invalid_grant');
      }
    });

    it('answers invalid_request in the OAuth shape for a missing or repeated device_code', async () => {
      const missing = await t.http().post('/api/auth/device/token').send({}).expect(400);
      expect(missing.body).toEqual({
        error: 'invalid_request',
        error_description: expect.any(String),
      });
      expect(missing.headers['cache-control']).toBe('no-store');
      const twice = await t
        .http()
        .post('/api/auth/device/token')
        .send({ device_code: ['a', 'b'] })
        .expect(400);
      expect(twice.body.error).toBe('invalid_request');
      const broken = await t
        .http()
        .post('/api/auth/device/token')
        .set('content-type', 'application/json')
        .send('{"device_code":')
        .expect(400);
      expect(broken.body.error).toBe('invalid_request');
    });

    it('ignores unknown fields, checks client_id and grant_type when sent', async () => {
      const body = await initDevice(t, { client_id: 'tv-app' });
      const pendingRes = await poll(t, body.device_code, { client_id: 'tv-app', extra: 1 });
      expect(pendingRes.body.error).toBe('authorization_pending');
      const other = await poll(t, body.device_code, { client_id: 'other-app' }).expect(400);
      expect(other.body.error).toBe('invalid_grant');
      const grant = await poll(t, body.device_code, { grant_type: 'password' }).expect(400);
      expect(grant.body.error).toBe('unsupported_grant_type');
    });
  });

  describe('atomicity', () => {
    it('mints exactly one token from 20 concurrent collections of one approved code', async () => {
      const body = await initDevice(t);
      await approve(t, alice.token, { user_code: body.user_code }).expect(200);
      const countTokens = async () =>
        Number(
          (
            await t.db.query('SELECT COUNT(*) AS n FROM client_tokens WHERE user_id = ?', [
              alice.user.id,
            ])
          )[0].n,
        );
      const before = await countTokens();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => poll(t, body.device_code)),
      );
      expect(await countTokens()).toBe(before + 1);
      const ok = results.filter((r) => r.status === 200);
      expect(ok).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 200)) {
        expect(r.status).toBe(400);
        expect(r.body.error).toBe('invalid_grant');
      }
      const row = await t.db
        .getRepository(DeviceAuthorization)
        .findOneByOrFail({ userCode: body.user_code.replace('-', '') });
      const issued = (await auditEvents(t, 'device_flow.token_issued')).filter(
        (e) => e.target_id === row.id,
      );
      expect(issued).toHaveLength(1);
      expect(issued[0].details!.token_id).toBe(row.issuedTokenId);
      // The losers presented a consumed code: by the reuse rule, the one token is revoked.
      const [minted] = await t.db.query('SELECT revoked_at FROM client_tokens WHERE id = ?', [
        row.issuedTokenId,
      ]);
      expect(minted.revoked_at).not.toBeNull();
    });

    it('records one approval from 20 concurrent approvals of one code', async () => {
      const body = await initDevice(t);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          approve(t, alice.token, { user_code: body.user_code, name: `try ${i}` }),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status === 404)).toHaveLength(19);
      const row = await t.db
        .getRepository(DeviceAuthorization)
        .findOneByOrFail({ userCode: body.user_code.replace('-', '') });
      const winner = results.find((r) => r.status === 200)!;
      expect(row.tokenName).toBe(winner.body.name);
      const approvals = (await auditEvents(t, 'device_flow.approve')).filter(
        (e) => e.target_id === row.id,
      );
      expect(approvals).toHaveLength(1);
    });

    it('lets exactly one of a concurrent approve and deny win', async () => {
      const body = await initDevice(t);
      const [a, d] = await Promise.all([
        approve(t, alice.token, { user_code: body.user_code }),
        deny(t, alice.token, body.user_code),
      ]);
      expect([a.status, d.status].sort((x, y) => x - y)).toEqual([200, 404]);
      const res = await poll(t, body.device_code);
      expect(a.status === 200 ? res.status : res.body.error).toBe(
        a.status === 200 ? 200 : 'access_denied',
      );
    });
  });

  describe('QR code and pairing page', () => {
    it('draws the complete verification URI as SVG, or PNG on request', async () => {
      const body = await initDevice(t);
      const svg = await t.http().get(`/api/auth/device/qr?user_code=${body.user_code}`).expect(200);
      expect(svg.headers['content-type']).toContain('image/svg+xml');
      expect(svg.text ?? svg.body.toString()).toContain('<svg');
      const png = await t
        .http()
        .get(`/api/auth/device/qr?user_code=${body.user_code.toLowerCase()}&format=png`)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(png.headers['content-type']).toBe('image/png');
      expect((png.body as Buffer).subarray(1, 4).toString()).toBe('PNG');
      await t.http().get('/api/auth/device/qr?user_code=nope').expect(400);
    });

    it('serves the pairing page publicly: the console, under a CSP without inline script', async () => {
      const res = await t.http().get('/pair/device?user_code=BCDF-GHJK').expect(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['content-security-policy']).toContain("script-src 'self';");
      expect(res.text).toContain('<html lang="en">');
      // Nothing inline, nothing loaded from elsewhere (test/browser drives the page itself).
      expect(res.text).not.toMatch(/\son[a-z]+="/);
      expect(res.text).not.toMatch(/(src|href)="https?:/);
      expect(res.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    });
  });
});
