import { LOOPBACK } from './support/test-app.js';
import { Device } from '../src/devices/device.entity.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import {
  auditEvents,
  createToken,
  expectError,
  get,
  mintDeviceToken,
} from './support/client-tokens.js';

describe('devices', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const lastSeen = async (id: string) =>
    (await t.db.getRepository(Device).findOneByOrFail({ id })).lastSeenAt;

  it('binds a minted token to a device, reusing the device (user, identifier) on re-pairing', async () => {
    const { user } = await t.factory.session();
    const other = await t.factory.session();
    const first = await mintDeviceToken(t, user.id, {
      identifier: 'tv-reuse',
      deviceName: 'Den TV',
    });
    const second = await mintDeviceToken(t, user.id, { identifier: 'tv-reuse' });
    const foreign = await mintDeviceToken(t, other.user.id, { identifier: 'tv-reuse' });
    expect(second.deviceId).toBe(first.deviceId);
    expect(second.tokenId).not.toBe(first.tokenId);
    expect(foreign.deviceId).not.toBe(first.deviceId);
    const device = await t.db.getRepository(Device).findOneByOrFail({ id: first.deviceId });
    expect(device).toMatchObject({ name: 'Den TV', client: 'Playnite', platform: 'android-tv' });
  });

  it('shows current_device_id in /api/users/me for a device-bound token', async () => {
    const { user } = await t.factory.session();
    const minted = await mintDeviceToken(t, user.id, { identifier: 'me-tv' });
    const me = await get(t, '/api/users/me', minted.raw).expect(200);
    expect(me.body).toMatchObject({
      token_kind: 'client',
      token_id: minted.tokenId,
      current_device_id: minted.deviceId,
    });
  });

  it('shows a device-bound token its own device at /api/devices/current', async () => {
    const { token: session, user } = await t.factory.session();
    const minted = await mintDeviceToken(t, user.id, { identifier: 'current-tv' });
    const res = await get(t, '/api/devices/current', minted.raw).expect(200);
    expect(res.body).toMatchObject({ id: minted.deviceId, active_tokens: 1 });
    expectError(await get(t, '/api/devices/current', session), 404, 'not_found');
  });

  it('moves last_seen_at at most once per 5 minutes', async () => {
    const { user } = await t.factory.session();
    const minted = await mintDeviceToken(t, user.id, { identifier: 'seen-tv' });
    const other = await mintDeviceToken(t, user.id, { identifier: 'seen-cli' });
    expect(await lastSeen(minted.deviceId)).toBeNull();

    await get(t, '/api/users/me', minted.raw).expect(200);
    await t.flushActivity();
    const firstSeen = (await lastSeen(minted.deviceId))!;
    expect(firstSeen).not.toBeNull();

    // More requests within 5 minutes (and another device's): no move.
    for (const step of [10, 60, 120, 100]) {
      t.clock.advanceSeconds(step);
      await get(t, '/api/users/me', minted.raw).expect(200);
      await get(t, '/api/users/me', other.raw).expect(200);
      await t.flushActivity();
      expect((await lastSeen(minted.deviceId))!.getTime()).toBe(firstSeen.getTime());
    }

    t.clock.advanceSeconds(11); // 301 s after the first write
    await get(t, '/api/users/me', minted.raw).expect(200);
    await t.flushActivity();
    const moved = (await lastSeen(minted.deviceId))!;
    expect(moved.getTime() - firstSeen.getTime()).toBeGreaterThanOrEqual(300_000);
  });

  it('does not write when another instance touched the device within 5 minutes', async () => {
    const { user } = await t.factory.session();
    const minted = await mintDeviceToken(t, user.id, { identifier: 'cluster-tv' });
    // As if another instance had just written it: the conditional UPDATE must be a no-op.
    const recent = new Date(Math.floor(t.clock.nowMs() / 1000) * 1000);
    await t.db.getRepository(Device).update({ id: minted.deviceId }, { lastSeenAt: recent });
    await get(t, '/api/users/me', minted.raw).expect(200);
    await t.flushActivity();
    expect((await lastSeen(minted.deviceId))!.getTime()).toBe(recent.getTime());
  });

  it('lists your devices with their live tokens count and last use', async () => {
    const { token: session, user } = await t.factory.session();
    const other = await t.factory.session();
    await mintDeviceToken(t, other.user.id, { identifier: 'not-mine' });
    const tv = await mintDeviceToken(t, user.id, { identifier: 'list-tv', deviceName: 'TV' });
    // Pairing the TV again replaces its token: still one live token.
    const tv2 = await mintDeviceToken(t, user.id, { identifier: 'list-tv' });
    expect(tv2.deviceId).toBe(tv.deviceId);
    t.clock.advanceSeconds(1);
    const cli = await mintDeviceToken(t, user.id, { identifier: 'list-cli', deviceName: 'CLI' });
    await get(t, '/api/users/me', tv2.raw).expect(200);
    await t.flushActivity();

    const res = await get(t, '/api/devices', session).expect(200);
    expect(res.body.next_cursor).toBeNull();
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items[0]).toMatchObject({
      id: cli.deviceId,
      name: 'CLI',
      active_tokens: 1,
      last_used_at: null,
      last_seen_at: null,
    });
    expect(res.body.items[1]).toMatchObject({
      id: tv.deviceId,
      name: 'TV',
      client_device_identifier: 'list-tv',
      client: 'Playnite',
      platform: 'android-tv',
      client_version: '1.0.0',
      active_tokens: 1,
    });
    expect(res.body.items[1].last_used_at).not.toBeNull();
    expect(res.body.items[1].last_seen_at).not.toBeNull();

    const page = await get(t, '/api/devices?limit=1', session).expect(200);
    const next = await get(
      t,
      `/api/devices?limit=1&cursor=${page.body.next_cursor}`,
      session,
    ).expect(200);
    expect([page.body.items[0].id, next.body.items[0].id]).toEqual([cli.deviceId, tv.deviceId]);

    const one = await get(t, `/api/devices/${tv.deviceId}`, session).expect(200);
    expect(one.body).toMatchObject({ id: tv.deviceId, active_tokens: 1 });
  });

  it('searches your devices on the server by name or identifier, across pages', async () => {
    const { token: session, user } = await t.factory.session();
    const other = await t.factory.session();
    await mintDeviceToken(t, other.user.id, { identifier: 'search-tv-foreign' });
    const made: Record<string, string> = {};
    for (const [identifier, deviceName] of [
      ['search-tv-1', 'Kitchen TV'],
      ['search-tv-2', 'Bedroom TV'],
      ['porch-cam', 'Porch 100%'],
      ['search-tv-3', 'Attic TV'],
    ]) {
      made[identifier] = (await mintDeviceToken(t, user.id, { identifier, deviceName })).deviceId;
      t.clock.advanceSeconds(1);
    }
    const ids = (res: { body: { items: Array<{ id: string }> } }) =>
      res.body.items.map((d) => d.id);

    // By identifier, one page at a time: every match once, never another user's device.
    const first = await get(t, '/api/devices?q=search-tv&limit=2', session).expect(200);
    expect(ids(first)).toEqual([made['search-tv-3'], made['search-tv-2']]);
    const second = await get(
      t,
      `/api/devices?q=search-tv&limit=2&cursor=${first.body.next_cursor}`,
      session,
    ).expect(200);
    expect(ids(second)).toEqual([made['search-tv-1']]);
    expect(second.body.next_cursor).toBeNull();

    // By name, ignoring ASCII case; `%` matches itself; surrounding spaces are trimmed.
    expect(ids(await get(t, '/api/devices?q=KITCHEN', session).expect(200))).toEqual([
      made['search-tv-1'],
    ]);
    expect(ids(await get(t, '/api/devices?q=%20100%25%20', session).expect(200))).toEqual([
      made['porch-cam'],
    ]);
    const none = await get(t, '/api/devices?q=search-tv-foreign', session).expect(200);
    expect(none.body).toEqual({ items: [], next_cursor: null });
    expectError(await get(t, '/api/devices?q=%1B%5B2J', session), 400, 'validation_failed');
  });

  it('renames a device, keeps the name on re-pairing, and audits it', async () => {
    const { token: session, user } = await t.factory.session();
    const minted = await mintDeviceToken(t, user.id, { identifier: 'rename-tv' });
    const res = await t
      .http()
      .patch(`/api/devices/${minted.deviceId}`)
      .auth(session, { type: 'bearer' })
      .send({ name: 'Bedroom TV' })
      .expect(200);
    expect(res.body.name).toBe('Bedroom TV');
    await mintDeviceToken(t, user.id, { identifier: 'rename-tv', deviceName: 'Android TV' });
    expect((await get(t, `/api/devices/${minted.deviceId}`, session)).body.name).toBe('Bedroom TV');
    const tokens = await get(t, `/api/client-tokens?device_id=${minted.deviceId}`, session);
    expect(tokens.body.items[0].device).toEqual({ id: minted.deviceId, name: 'Bedroom TV' });
    const [event] = await auditEvents(t, 'device.rename', minted.deviceId);
    expect(JSON.parse(event.details!)).toEqual({
      from: 'Playnite on android-tv',
      to: 'Bedroom TV',
    });
    expect(event.ip).toMatch(LOOPBACK);
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(101) }, { name: 'a\u0000b' }]) {
      const bad = await t
        .http()
        .patch(`/api/devices/${minted.deviceId}`)
        .auth(session, { type: 'bearer' })
        .send(body);
      expectError(bad, 400, 'validation_failed');
    }
  });

  it('deleting a device revokes every token bound to it in one transaction', async () => {
    const { token: session, user } = await t.factory.session();
    const a = await mintDeviceToken(t, user.id, { identifier: 'doomed-tv' });
    const unbound = await createToken(t, session);
    const elsewhere = await mintDeviceToken(t, user.id, { identifier: 'other-tv' });
    await get(t, '/api/users/me', a.raw).expect(200); // cached

    await t
      .http()
      .delete(`/api/devices/${a.deviceId}`)
      .auth(session, { type: 'bearer' })
      .expect(204);

    expectError(await get(t, '/api/users/me', a.raw), 401, 'invalid_token');
    await get(t, '/api/users/me', unbound.raw).expect(200);
    await get(t, '/api/users/me', elsewhere.raw).expect(200);
    expectError(await get(t, `/api/devices/${a.deviceId}`, session), 404, 'not_found');
    const shown = await get(t, `/api/client-tokens/${a.tokenId}`, session).expect(200);
    expect(shown.body).toMatchObject({ status: 'revoked', device: null });
    const [event] = await auditEvents(t, 'device.delete', a.deviceId);
    expect(JSON.parse(event.details!).revoked_token_ids).toEqual([a.tokenId]);

    // Pairing the same device again makes a new device row.
    const again = await mintDeviceToken(t, user.id, { identifier: 'doomed-tv' });
    expect(again.deviceId).not.toBe(a.deviceId);
  });

  it('a device-bound token may forget its own device, and then fails', async () => {
    const { user } = await t.factory.session();
    const minted = await mintDeviceToken(t, user.id, { identifier: 'self-forget' });
    await t
      .http()
      .delete(`/api/devices/${minted.deviceId}`)
      .auth(minted.raw, { type: 'bearer' })
      .expect(204);
    expectError(await get(t, '/api/users/me', minted.raw), 401, 'invalid_token');
  });

  it('the foreign key sets device_id to null if a device row vanishes behind the service', async () => {
    const { token: session, user } = await t.factory.session();
    const minted = await mintDeviceToken(t, user.id, { identifier: 'fk-tv' });
    await t.db.query('DELETE FROM devices WHERE id = ?', [minted.deviceId]);
    const shown = await get(t, `/api/client-tokens/${minted.tokenId}`, session).expect(200);
    expect(shown.body.device).toBeNull();
  });

  it("answers 404 for another user's device: read, rename, delete", async () => {
    const alice = await t.factory.session();
    const bob = await t.factory.session();
    const bobs = await mintDeviceToken(t, bob.user.id, { identifier: 'bobs-tv' });
    const attempts = [
      t.http().get(`/api/devices/${bobs.deviceId}`),
      t.http().patch(`/api/devices/${bobs.deviceId}`).send({ name: 'mine' }),
      t.http().delete(`/api/devices/${bobs.deviceId}`),
    ];
    for (const attempt of attempts) {
      expectError(await attempt.auth(alice.token, { type: 'bearer' }), 404, 'not_found');
    }
    const list = await get(t, '/api/devices', alice.token).expect(200);
    expect(list.body.items).toEqual([]);
    await get(t, '/api/users/me', bobs.raw).expect(200);
    expect((await get(t, `/api/devices/${bobs.deviceId}`, bob.token)).body.name).toBe(
      'Playnite on android-tv',
    );
  });

  it('needs devices.read to list and devices.write to change', async () => {
    const { token: session, user } = await t.factory.session();
    const minted = await mintDeviceToken(t, user.id, { identifier: 'scoped', scopes: ['me.read'] });
    const reader = await createToken(t, session, { scopes: ['devices.read'] });
    expectError(await get(t, '/api/devices', minted.raw), 403, 'insufficient_scope');
    await get(t, '/api/devices', reader.raw).expect(200);
    const res = await t
      .http()
      .delete(`/api/devices/${minted.deviceId}`)
      .auth(reader.raw, { type: 'bearer' });
    expectError(res, 403, 'insufficient_scope');
  });
});

describe('devices: admin', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it("lists every user's devices with their owner, filtered and paginated", async () => {
    const admin = await t.factory.session({ role: 'admin' });
    const alice = await t.factory.session();
    const bob = await t.factory.session();
    const a = await mintDeviceToken(t, alice.user.id, {
      identifier: 'a-tv',
      deviceName: 'Attic TV',
    });
    t.clock.advanceSeconds(1);
    const b = await mintDeviceToken(t, bob.user.id, {
      identifier: 'b-100%',
      deviceName: 'Bob box',
    });
    const all = await get(t, '/api/admin/devices', admin.token).expect(200);
    expect(all.body.items.map((d: { id: string }) => d.id)).toEqual([b.deviceId, a.deviceId]);
    expect(all.body.items[1]).toMatchObject({
      user_id: alice.user.id,
      username: alice.user.username,
      active_tokens: 1,
    });
    const mine = await get(t, `/api/admin/devices?user_id=${alice.user.id}`, admin.token);
    expect(mine.body.items.map((d: { id: string }) => d.id)).toEqual([a.deviceId]);
    const q = await get(t, '/api/admin/devices?q=100%25', admin.token);
    expect(q.body.items.map((d: { id: string }) => d.id)).toEqual([b.deviceId]);
    const page = await get(t, '/api/admin/devices?limit=1', admin.token);
    const next = await get(
      t,
      `/api/admin/devices?limit=1&cursor=${page.body.next_cursor}`,
      admin.token,
    );
    expect(next.body.items.map((d: { id: string }) => d.id)).toEqual([a.deviceId]);
    expectError(await get(t, '/api/admin/devices', alice.token), 403, 'insufficient_scope');
  });

  it("forgets any user's device, revoking its tokens, as device.admin_delete", async () => {
    const admin = await t.factory.session({ role: 'admin' });
    const { user } = await t.factory.session();
    const minted = await mintDeviceToken(t, user.id, { identifier: 'seized-tv' });
    await get(t, '/api/users/me', minted.raw).expect(200);
    await t
      .http()
      .delete(`/api/admin/devices/${minted.deviceId}`)
      .auth(admin.token, { type: 'bearer' })
      .expect(204);
    expectError(await get(t, '/api/users/me', minted.raw), 401, 'invalid_token');
    const [event] = await auditEvents(t, 'device.admin_delete', minted.deviceId);
    expect(event).toMatchObject({ actorUserId: admin.user.id });
    expect(JSON.parse(event.details!)).toMatchObject({
      user_id: user.id,
      revoked_token_ids: [minted.tokenId],
    });
    const again = await t
      .http()
      .delete(`/api/admin/devices/${minted.deviceId}`)
      .auth(admin.token, { type: 'bearer' });
    expectError(again, 404, 'not_found');
  });
});
