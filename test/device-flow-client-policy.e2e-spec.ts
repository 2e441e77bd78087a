import { approve, auditEvents, poll, RELAXED_LIMITS } from './support/device-flow.js';
import { redisAnswers, TEST_REDIS_URL as REDIS_URL } from './support/redis.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * A registered client's policy is checked where it is enforced (init, approve, collect) and
 * against the registration as it is now, on every instance: narrowing or removing a client
 * on one instance holds on the other at once.
 */
describe.runIf(await redisAnswers())('client policy across two instances', () => {
  let a: TestApp;
  let b: TestApp;
  let admin: string;
  let alice: string;
  let seq = 0;
  const env = { ...RELAXED_LIMITS, REDIS_URL, DEVICE_FLOW_REQUIRE_REGISTERED_CLIENT: 'true' };

  beforeAll(async () => {
    a = await createTestApp(env);
    b = await createTestApp(env, { database: a.database });
    admin = (await a.factory.session({ role: 'admin' })).token;
    alice = (await a.factory.session()).token;
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  async function register(scopes = ['me.read', 'devices.read']): Promise<string> {
    const clientId = `tv-app-${++seq}`;
    await a
      .http()
      .post('/api/admin/oauth-clients')
      .auth(admin, { type: 'bearer' })
      .send({ client_id: clientId, display_name: 'TV app', allowed_scopes: scopes })
      .expect(201);
    return clientId;
  }
  const narrow = (clientId: string) =>
    a
      .http()
      .patch(`/api/admin/oauth-clients/${clientId}`)
      .auth(admin, { type: 'bearer' })
      .send({ allowed_scopes: ['me.read'] })
      .expect(200);
  const remove = (clientId: string) =>
    a
      .http()
      .delete(`/api/admin/oauth-clients/${clientId}`)
      .auth(admin, { type: 'bearer' })
      .expect(204);
  const init = (t: TestApp, clientId: string, scopes = ['me.read', 'devices.read']) =>
    t
      .http()
      .post('/api/auth/device/init')
      .send({ client_id: clientId, client_device_identifier: `tv-${++seq}`, scopes });

  it('refuses a removed scope at init on the other instance at once', async () => {
    const clientId = await register();
    await init(b, clientId).expect(200); // b now has the registration cached
    await narrow(clientId);
    const refused = await init(b, clientId).expect(400);
    expect(refused.body.error).toBe('invalid_scope');
  });

  it('refuses an approval that grants a scope the client lost since init', async () => {
    const clientId = await register();
    const body = (await init(b, clientId).expect(200)).body as { user_code: string };
    await narrow(clientId);
    const refused = await approve(b, alice, { user_code: body.user_code }).expect(400);
    expect(refused.body).toMatchObject({ error: 'invalid_scope' });
    expect((await auditEvents(a, 'device_flow.approve')).at(-1)).toMatchObject({
      outcome: 'denied',
      details: { reason: 'invalid_scope' },
    });
    // Narrowed to what the client may still have, the person can approve.
    await approve(b, alice, { user_code: body.user_code, scopes: ['me.read'] }).expect(200);
  });

  it('refuses to hand over a token whose scopes the client lost after the approval', async () => {
    const clientId = await register();
    const body = (await init(b, clientId).expect(200)).body as {
      user_code: string;
      device_code: string;
    };
    await approve(b, alice, { user_code: body.user_code }).expect(200);
    await narrow(clientId);
    const refused = await poll(b, body.device_code, { client_id: clientId }).expect(400);
    expect(refused.body.error).toBe('invalid_scope');
    expect((await auditEvents(a, 'device_flow.token_refused')).at(-1)).toMatchObject({
      outcome: 'denied',
      details: { reason: 'invalid_scope' },
    });
    // The approval is withdrawn: the device hears a final answer, and no token exists.
    b.clock.advanceSeconds(10);
    expect((await poll(b, body.device_code, { client_id: clientId })).body.error).toBe(
      'access_denied',
    );
  });

  it('refuses approval and collection for a client removed after init', async () => {
    const clientId = await register();
    const early = (await init(b, clientId).expect(200)).body as {
      user_code: string;
      device_code: string;
    };
    const late = (await init(b, clientId).expect(200)).body as { user_code: string };
    await approve(b, alice, { user_code: early.user_code }).expect(200);
    await remove(clientId);

    const refused = await approve(b, alice, { user_code: late.user_code }).expect(400);
    expect(refused.body.error).toBe('invalid_client');
    const collected = await poll(b, early.device_code, { client_id: clientId });
    expect(collected.body.error).toBe('invalid_client');
    await init(b, clientId).expect(400);
  });
});
