import { auditEvents, initDevice, pending, RELAXED_LIMITS } from './support/device-flow.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const form = (t: TestApp, path: string, fields: Record<string, string>) =>
  t.http().post(path).type('form').send(new URLSearchParams(fields).toString());

describe('registered OAuth clients', () => {
  let t: TestApp;
  let admin: { token: string; user: { id: string } };
  let alice: { token: string };

  beforeAll(async () => {
    t = await createTestApp(RELAXED_LIMITS);
    admin = await t.factory.session({ role: 'admin' });
    alice = await t.factory.session();
  });
  afterAll(() => t?.close());

  const asAdmin = (method: 'get' | 'post' | 'patch' | 'delete', path: string) =>
    t.http()[method](path).set('authorization', `Bearer ${admin.token}`);

  it('are managed by admins only', async () => {
    await t
      .http()
      .get('/api/admin/oauth-clients')
      .set('authorization', `Bearer ${alice.token}`)
      .expect(403);
    await t.http().get('/api/admin/oauth-clients').expect(401);
  });

  it('can be created, read, listed, changed and deleted, each change audited', async () => {
    const created = await asAdmin('post', '/api/admin/oauth-clients')
      .send({
        client_id: 'media-center',
        display_name: 'Media Center',
        allowed_scopes: ['me.read'],
      })
      .expect(201);
    expect(created.body).toMatchObject({
      client_id: 'media-center',
      display_name: 'Media Center',
      allowed_scopes: ['me.read'],
    });
    await asAdmin('post', '/api/admin/oauth-clients')
      .send({ client_id: 'media-center', display_name: 'Again', allowed_scopes: ['me.read'] })
      .expect(409);
    await asAdmin('get', '/api/admin/oauth-clients/media-center').expect(200);
    const list = await asAdmin('get', '/api/admin/oauth-clients').expect(200);
    expect(list.body.items.map((c: { client_id: string }) => c.client_id)).toContain(
      'media-center',
    );

    const patched = await asAdmin('patch', '/api/admin/oauth-clients/media-center')
      .send({ display_name: 'Media Center 2', allowed_scopes: ['me.read', 'devices.read'] })
      .expect(200);
    expect(patched.body).toMatchObject({
      display_name: 'Media Center 2',
      allowed_scopes: ['me.read', 'devices.read'],
    });
    await asAdmin('delete', '/api/admin/oauth-clients/media-center').expect(204);
    await asAdmin('get', '/api/admin/oauth-clients/media-center').expect(404);
    await asAdmin('delete', '/api/admin/oauth-clients/media-center').expect(404);

    for (const action of ['oauth_client.create', 'oauth_client.update', 'oauth_client.delete']) {
      const events = await auditEvents(t, action);
      expect(events.at(-1)).toMatchObject({
        target_id: 'media-center',
        actor_user_id: admin.user.id,
      });
    }
  });

  it('are searched on the server by client_id or name, across pages', async () => {
    for (const [client_id, display_name] of [
      ['search-kitchen', 'Kitchen Display'],
      ['search-porch', 'Porch camera 100%'],
      ['search-attic', 'Attic box'],
      ['unrelated-tv', 'Living-room TV'],
    ]) {
      await asAdmin('post', '/api/admin/oauth-clients')
        .send({ client_id, display_name, allowed_scopes: ['me.read'] })
        .expect(201);
      t.clock.advanceSeconds(1);
    }
    const ids = (res: { body: { items: Array<{ client_id: string }> } }) =>
      res.body.items.map((c) => c.client_id);

    // By client_id, newest first, one per page: every match, none twice.
    const first = await asAdmin('get', '/api/admin/oauth-clients?q=search-&limit=2').expect(200);
    expect(ids(first)).toEqual(['search-attic', 'search-porch']);
    const second = await asAdmin(
      'get',
      `/api/admin/oauth-clients?q=search-&limit=2&cursor=${first.body.next_cursor}`,
    ).expect(200);
    expect(ids(second)).toEqual(['search-kitchen']);
    expect(second.body.next_cursor).toBeNull();

    // By display name, ignoring ASCII case; `%` and `_` match themselves.
    expect(ids(await asAdmin('get', '/api/admin/oauth-clients?q=kitchen').expect(200))).toEqual([
      'search-kitchen',
    ]);
    expect(ids(await asAdmin('get', '/api/admin/oauth-clients?q=100%25').expect(200))).toEqual([
      'search-porch',
    ]);
    expect(ids(await asAdmin('get', '/api/admin/oauth-clients?q=%25').expect(200))).toEqual([
      'search-porch',
    ]);
    const none = await asAdmin('get', '/api/admin/oauth-clients?q=nothing-like-it').expect(200);
    expect(none.body).toEqual({ items: [], next_cursor: null });

    const tooLong = await asAdmin('get', `/api/admin/oauth-clients?q=${'x'.repeat(101)}`).expect(
      400,
    );
    expect(tooLong.body.message).toMatch(/q must be shorter than or equal to 100 characters/);
  });

  it('generates a client_id when none is given, and refuses unknown scopes', async () => {
    const res = await asAdmin('post', '/api/admin/oauth-clients')
      .send({ display_name: 'Generated', allowed_scopes: ['me.read'] })
      .expect(201);
    expect(res.body.client_id).toMatch(/^pgclient-/);
    const bad = await asAdmin('post', '/api/admin/oauth-clients')
      .send({ display_name: 'Bad', allowed_scopes: ['rockets.launch'] })
      .expect(400);
    expect(bad.body.error).toBe('unknown_scope');
  });

  it('are shown by their registered name, as registered but not verified, with a warning', async () => {
    await asAdmin('post', '/api/admin/oauth-clients')
      .send({
        client_id: 'tv-verified',
        display_name: 'Official TV app',
        allowed_scopes: ['me.read'],
      })
      .expect(201);
    const body = await initDevice(t, {
      client_id: 'tv-verified',
      client_name: 'I am totally official',
      scopes: ['me.read'],
    });
    const res = await pending(t, alice.token, body.user_code).expect(200);
    // A public client proves nothing: any device can send its client_id.
    expect(res.body).toMatchObject({
      client_id: 'tv-verified',
      client_name: 'Official TV app',
      client_registered: true,
      client_verified: false,
      client_warning: expect.stringContaining('Any device can claim to be "Official TV app"'),
    });
    const unregistered = await initDevice(t, { client_id: 'tv-unknown', client_name: 'Claimed' });
    const other = await pending(t, alice.token, unregistered.user_code).expect(200);
    expect(other.body).toMatchObject({
      client_name: 'Claimed',
      client_registered: false,
      client_verified: false,
      client_warning: expect.stringContaining('not registered'),
    });
  });

  it('limit a registered client to its allowed scopes, on both surfaces', async () => {
    await asAdmin('post', '/api/admin/oauth-clients')
      .send({
        client_id: 'tv-limited',
        display_name: 'Limited',
        allowed_scopes: ['me.read', 'devices.read'],
      })
      .expect(201);
    const json = await t
      .http()
      .post('/api/auth/device/init')
      .send({ client_id: 'tv-limited', client_device_identifier: 'x', scopes: ['tokens.write'] })
      .expect(400);
    expect(json.body.error).toBe('invalid_scope');
    const oauth = await form(t, '/oauth/device_authorization', {
      client_id: 'tv-limited',
      scope: 'me.read tokens.write',
    }).expect(400);
    expect(oauth.body.error).toBe('invalid_scope');
    // No scope at all: the client's allowed scopes are the default.
    const defaulted = await form(t, '/oauth/device_authorization', {
      client_id: 'tv-limited',
    }).expect(200);
    const shown = await pending(t, alice.token, defaulted.body.user_code).expect(200);
    expect(shown.body.scopes.map((s: { name: string }) => s.name)).toEqual([
      'me.read',
      'devices.read',
    ]);
  });

  it('show pending requests as unregistered once the client is deleted', async () => {
    await asAdmin('post', '/api/admin/oauth-clients')
      .send({ client_id: 'tv-gone', display_name: 'Soon gone', allowed_scopes: ['me.read'] })
      .expect(201);
    const body = await initDevice(t, { client_id: 'tv-gone', scopes: ['me.read'] });
    await asAdmin('delete', '/api/admin/oauth-clients/tv-gone').expect(204);
    const res = await pending(t, alice.token, body.user_code).expect(200);
    expect(res.body).toMatchObject({ client_registered: false, client_verified: false });
  });
});

describe('DEVICE_FLOW_REQUIRE_REGISTERED_CLIENT=true', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ ...RELAXED_LIMITS, DEVICE_FLOW_REQUIRE_REGISTERED_CLIENT: 'true' });
  });
  afterAll(() => t?.close());

  it('refuses unregistered and missing client ids with invalid_client', async () => {
    const oauth = await form(t, '/oauth/device_authorization', {
      client_id: 'nobody',
      scope: 'me.read',
    }).expect(400);
    expect(oauth.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    const json = await t
      .http()
      .post('/api/auth/device/init')
      .send({ client_device_identifier: 'x', scopes: ['me.read'] })
      .expect(400);
    expect(json.body.error).toBe('invalid_client');
  });

  it('pairs a registered client', async () => {
    const admin = await t.factory.session({ role: 'admin' });
    await t
      .http()
      .post('/api/admin/oauth-clients')
      .set('authorization', `Bearer ${admin.token}`)
      .send({ client_id: 'only-me', display_name: 'Only me', allowed_scopes: ['me.read'] })
      .expect(201);
    await form(t, '/oauth/device_authorization', { client_id: 'only-me', scope: 'me.read' }).expect(
      200,
    );
    await initDevice(t, { client_id: 'only-me', scopes: ['me.read'] });
  });
});
