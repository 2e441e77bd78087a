import { LOOPBACK } from './support/test-app.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import {
  auditEvents,
  createToken,
  expectError,
  get,
  mintDeviceToken,
} from './support/client-tokens.js';

interface Row {
  id: string;
  user_id: string;
  username: string;
  email: string | null;
  status: string;
  last_used_ip: string | null;
}

describe('client tokens: admin', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['factory']['session']>>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.factory.session({ role: 'admin' });
  });
  afterAll(() => t?.close());

  const list = async (query: string) =>
    (await get(t, `/api/admin/client-tokens${query}`, admin.token).expect(200)).body as {
      items: Row[];
      next_cursor: string | null;
    };

  it("lists every user's tokens with owner, email and last IP, filtered and paginated", async () => {
    const alice = await t.factory.session({ email: 'alice@example.com' });
    const bob = await t.factory.session();
    const a1 = await createToken(t, alice.token, { name: 'Alice laptop' });
    t.clock.advanceSeconds(1);
    const a2 = await createToken(t, alice.token, { name: 'Alice 100%_tablet' });
    t.clock.advanceSeconds(1);
    const b1 = await createToken(t, bob.token, { name: 'Bob NAS', ttl_seconds: 60 });
    t.clock.advanceSeconds(1);
    const bobDevice = await mintDeviceToken(t, bob.user.id, { identifier: 'bob-tv' });
    await get(t, '/api/users/me', a1.raw).expect(200);
    await t.flushActivity();
    await t
      .http()
      .delete(`/api/client-tokens/${a2.id}`)
      .auth(alice.token, { type: 'bearer' })
      .expect(204);

    const all = await list(`?user_id=${alice.user.id}`);
    expect(all.items.map((r) => r.id)).toEqual([a2.id, a1.id]);
    expect(all.items[1]).toMatchObject({
      user_id: alice.user.id,
      username: alice.user.username,
      email: 'alice@example.com',
      status: 'active',
    });
    expect(all.items[1].last_used_ip).toMatch(LOOPBACK);

    expect((await list(`?user_id=${alice.user.id}&status=revoked`)).items.map((r) => r.id)).toEqual(
      [a2.id],
    );
    t.clock.advanceSeconds(61);
    expect((await list(`?user_id=${bob.user.id}&status=expired`)).items.map((r) => r.id)).toEqual([
      b1.id,
    ]);
    expect((await list(`?user_id=${bob.user.id}&status=active`)).items.map((r) => r.id)).toEqual([
      bobDevice.tokenId,
    ]);
    expect((await list(`?device_id=${bobDevice.deviceId}`)).items.map((r) => r.id)).toEqual([
      bobDevice.tokenId,
    ]);
    expect((await list('?q=alice%20LAPTOP')).items.map((r) => r.id)).toEqual([a1.id]);
    expect((await list(`?q=${a1.body.prefix as string}`)).items.map((r) => r.id)).toEqual([a1.id]);
    // LIKE wildcards in q are literal.
    expect((await list('?q=100%25_')).items.map((r) => r.id)).toEqual([a2.id]);
    expect((await list('?q=%25')).items.map((r) => r.id)).toEqual([a2.id]);

    const page1 = await list('?limit=2');
    const page2 = await list(`?limit=2&cursor=${page1.next_cursor}`);
    expect(page1.items.map((r) => r.id)).toEqual([bobDevice.tokenId, b1.id]);
    expect(page2.items.map((r) => r.id)).toEqual([a2.id, a1.id]);

    expect(
      (await get(t, `/api/admin/client-tokens/${a1.id}`, admin.token).expect(200)).body,
    ).toMatchObject({ id: a1.id, username: alice.user.username });
  });

  it('revokes any token with client_token.admin_revoke; it fails on the next request', async () => {
    const { token: session, user } = await t.factory.session();
    const { raw, id } = await createToken(t, session);
    await get(t, '/api/users/me', raw).expect(200);
    await t
      .http()
      .delete(`/api/admin/client-tokens/${id}`)
      .auth(admin.token, { type: 'bearer' })
      .expect(204);
    expectError(await get(t, '/api/users/me', raw), 401, 'invalid_token');
    const [event] = await auditEvents(t, 'client_token.admin_revoke', id);
    expect(event).toMatchObject({ actorUserId: admin.user.id, targetType: 'client_token' });
    expect(JSON.parse(event.details!)).toMatchObject({ user_id: user.id });
    expect(event.ip).toMatch(LOOPBACK);
    const missing = await t
      .http()
      .delete('/api/admin/client-tokens/00000000-0000-4000-8000-000000000000')
      .auth(admin.token, { type: 'bearer' });
    expectError(missing, 404, 'not_found');
  });

  it('revoke-tokens kills every session and client token of the user', async () => {
    const victim = await t.factory.session();
    const other = await t.factory.session();
    const a = await createToken(t, victim.token);
    const device = await mintDeviceToken(t, victim.user.id, { identifier: 'victim-tv' });
    const keep = await createToken(t, other.token);
    for (const raw of [victim.token, a.raw, device.raw])
      await get(t, '/api/users/me', raw).expect(200);
    const res = await t
      .http()
      .post(`/api/admin/users/${victim.user.id}/revoke-tokens`)
      .auth(admin.token, { type: 'bearer' })
      .expect(200);
    expect(res.body.revoked).toBe(3);
    for (const raw of [victim.token, a.raw, device.raw]) {
      expectError(await get(t, '/api/users/me', raw), 401, 'invalid_token');
    }
    await get(t, '/api/users/me', keep.raw).expect(200);
  });

  it('is for admins only, including admin-scoped client tokens of a demoted admin', async () => {
    const { token } = await t.factory.session();
    expectError(await get(t, '/api/admin/client-tokens', token), 403, 'insufficient_scope');
    const second = await t.factory.session({ role: 'admin' });
    const { raw } = await createToken(t, second.token, { scopes: ['admin'] });
    await get(t, '/api/admin/client-tokens', raw).expect(200);
    await t
      .http()
      .patch(`/api/admin/users/${second.user.id}`)
      .auth(admin.token, { type: 'bearer' })
      .send({ role: 'user' })
      .expect(200);
    expectError(await get(t, '/api/admin/client-tokens', raw), 403, 'insufficient_scope');
  });

  it('validates filters', async () => {
    for (const query of [
      '?status=gone',
      '?user_id=nope',
      '?device_id=1',
      '?limit=0',
      '?cursor=@@',
    ]) {
      expectError(
        await get(t, `/api/admin/client-tokens${query}`, admin.token),
        400,
        'validation_failed',
      );
    }
  });
});
