import { approve, initDevice, poll, RELAXED_LIMITS } from './support/device-flow.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('the admin dashboard', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(RELAXED_LIMITS);
  });
  afterAll(() => t?.close());

  const dashboard = (token: string) =>
    t.http().get('/api/admin/dashboard').auth(token, { type: 'bearer' });

  it('counts users, live tokens by kind, devices, pending pairings and the last day of events', async () => {
    const admin = await t.factory.session({ role: 'admin' });
    const alice = await t.factory.session();
    await t.factory.user({ disabled: true });
    // Alice: a client token, a long-lived token, a paired device, a pending request, a wrong password.
    await t
      .http()
      .post('/api/client-tokens')
      .auth(alice.token, { type: 'bearer' })
      .send({ name: 'script', scopes: ['me.read'] })
      .expect(201);
    const revoked = await t
      .http()
      .post('/api/client-tokens')
      .auth(alice.token, { type: 'bearer' })
      .send({ name: 'old', scopes: ['me.read'] })
      .expect(201);
    await t
      .http()
      .delete(`/api/client-tokens/${revoked.body.id}`)
      .auth(alice.token, { type: 'bearer' })
      .expect(204);
    await t
      .http()
      .post('/api/long-lived-tokens')
      .auth(alice.token, { type: 'bearer' })
      .send({ name: 'kiosk', expires_in_days: 30 })
      .expect(201);
    const tv = await initDevice(t, { scopes: ['me.read'] });
    await approve(t, alice.token, { user_code: tv.user_code }).expect(200);
    await poll(t, tv.device_code).expect(200);
    await initDevice(t);
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: alice.user.username, password: 'wrong-password' })
      .expect(401);

    const res = await dashboard(admin.token).expect(200);
    expect(res.body).toEqual({
      users: { total: 3, admins: 1, disabled: 1 },
      active_tokens: expect.arrayContaining([
        { kind: 'session', active: 2 },
        // The script's token and the TV's (the revoked one is not counted).
        { kind: 'client', active: 2 },
        { kind: 'long_lived', active: 1 },
      ]),
      devices: 1,
      pending_device_authorizations: 1,
      events_last_24h: expect.any(Number),
      failed_logins_last_24h: 1,
      generated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(res.body.active_tokens).toHaveLength(3);
    const [{ count }] = await t.db.query('SELECT COUNT(*) AS count FROM audit_events');
    expect(res.body.events_last_24h).toBe(Number(count));

    // A day later the events and the refused sign-in have left the window.
    t.clock.advance(24 * 3600 * 1000 + 1000);
    const later = await dashboard(admin.token).expect(200);
    expect(later.body).toMatchObject({
      failed_logins_last_24h: 0,
      pending_device_authorizations: 0,
    });
  });

  it('is refused to a non-admin', async () => {
    const { token } = await t.factory.session();
    const res = await dashboard(token).expect(403);
    expect(res.body.error).toBe('insufficient_scope');
  });
});
