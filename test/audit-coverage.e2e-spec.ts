import type { Test } from 'supertest';
import { AuditEvent } from '../src/audit/audit-event.entity.js';
import { SetupService } from '../src/users/setup.service.js';
import { createToken, mintDeviceToken } from './support/client-tokens.js';
import { approve, initDevice, RELAXED_LIMITS } from './support/device-flow.js';
import { discoverRoutes } from './support/routes.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/**
 * What a successful call of each state-changing route looks like, with the events it must
 * leave. The routes come from Nest's route table: a new non-GET route without an entry here
 * fails the test until someone says what it records.
 */
type Fixture = (t: TestApp, w: World) => Promise<{ call: Test; events: string[] }>;

interface World {
  admin: { token: string; user: { id: string } };
  alice: { token: string; user: { id: string; username: string }; password: string };
}

const bearer = { type: 'bearer' } as const;
let seq = 0;
const unique = (name: string) => `${name}-${++seq}`;

async function oauthClient(t: TestApp, w: World): Promise<string> {
  const res = await t
    .http()
    .post('/api/admin/oauth-clients')
    .auth(w.admin.token, bearer)
    .send({ client_id: unique('app'), display_name: 'App', allowed_scopes: ['me.read'] })
    .expect(201);
  return res.body.client_id as string;
}

async function approved(t: TestApp, w: World) {
  const init = await initDevice(t, { client_id: 'tv-app', client_device_identifier: unique('tv') });
  await approve(t, w.alice.token, { user_code: init.user_code }).expect(200);
  return init;
}

const FIXTURES: Record<string, Fixture> = {
  'POST /api/setup': async (t) => ({
    call: t
      .http()
      .post('/api/setup')
      .send({
        setup_code: t.app.get(SetupService).pendingCode,
        username: unique('first-admin'),
        password: 'a long password',
      }),
    events: ['setup.create_admin'],
  }),
  'POST /api/auth/login': async (t) => ({
    call: t
      .http()
      .post('/api/auth/login')
      .send({
        username: (await t.factory.user({ password: 'pw-secret-1' })).user.username,
        password: 'pw-secret-1',
      }),
    events: ['auth.login'],
  }),
  'POST /api/auth/logout': async (t) => ({
    call: t
      .http()
      .post('/api/auth/logout')
      .auth((await t.factory.session()).token, bearer),
    events: ['auth.logout'],
  }),
  'DELETE /api/users/me/sessions/:id': async (t, w) => {
    const login = await t
      .http()
      .post('/api/auth/login')
      .send({ username: w.alice.user.username, password: w.alice.password });
    const other = login.body.access_token as string;
    const id = (await t.http().get('/api/users/me').auth(other, bearer)).body.token_id as string;
    return {
      call: t.http().delete(`/api/users/me/sessions/${id}`).auth(w.alice.token, bearer),
      events: ['session.revoke'],
    };
  },
  'DELETE /api/admin/sessions/:id': async (t, w) => {
    const session = await t.factory.session();
    const id = (await t.http().get('/api/users/me').auth(session.token, bearer)).body
      .token_id as string;
    return {
      call: t.http().delete(`/api/admin/sessions/${id}`).auth(w.admin.token, bearer),
      events: ['session.admin_revoke'],
    };
  },
  'PATCH /api/users/me/password': async (t) => {
    const me = await t.factory.session();
    return {
      call: t
        .http()
        .patch('/api/users/me/password')
        .auth(me.token, bearer)
        .send({ current_password: me.password, new_password: 'another long password' }),
      events: ['user.password_change'],
    };
  },
  'POST /api/admin/users': async (t, w) => ({
    call: t
      .http()
      .post('/api/admin/users')
      .auth(w.admin.token, bearer)
      .send({ username: unique('made'), password: 'a long password' }),
    events: ['user.create'],
  }),
  'PATCH /api/admin/users/:id': async (t, w) => ({
    call: t
      .http()
      .patch(`/api/admin/users/${(await t.factory.user()).user.id}`)
      .auth(w.admin.token, bearer)
      .send({ disabled: true }),
    events: ['user.disable'],
  }),
  'POST /api/admin/users/:id/revoke-tokens': async (t, w) => ({
    call: t
      .http()
      .post(`/api/admin/users/${(await t.factory.session()).user.id}/revoke-tokens`)
      .auth(w.admin.token, bearer),
    events: ['user.revoke_tokens'],
  }),
  'PATCH /api/devices/:id': async (t, w) => {
    const device = await mintDeviceToken(t, w.alice.user.id, { identifier: unique('d') });
    return {
      call: t
        .http()
        .patch(`/api/devices/${device.deviceId}`)
        .auth(w.alice.token, bearer)
        .send({ name: 'Renamed' }),
      events: ['device.rename'],
    };
  },
  'DELETE /api/devices/:id': async (t, w) => {
    const device = await mintDeviceToken(t, w.alice.user.id, { identifier: unique('d') });
    return {
      call: t.http().delete(`/api/devices/${device.deviceId}`).auth(w.alice.token, bearer),
      events: ['device.delete'],
    };
  },
  'DELETE /api/admin/devices/:id': async (t, w) => {
    const device = await mintDeviceToken(t, w.alice.user.id, { identifier: unique('d') });
    return {
      call: t.http().delete(`/api/admin/devices/${device.deviceId}`).auth(w.admin.token, bearer),
      events: ['device.admin_delete'],
    };
  },
  // Group-committed with other inits, each still with its own event.
  'POST /api/auth/device/init': async (t) => ({
    call: t
      .http()
      .post('/api/auth/device/init')
      .send({ client_device_identifier: unique('tv'), scopes: ['me.read'] }),
    events: ['device_flow.init'],
  }),
  'POST /oauth/device_authorization': async (t) => ({
    call: t
      .http()
      .post('/oauth/device_authorization')
      .type('form')
      .send(`client_id=${unique('cli')}&scope=me.read`),
    events: ['device_flow.init'],
  }),
  'POST /api/auth/device/approve': async (t, w) => {
    const init = await initDevice(t, { client_device_identifier: unique('tv') });
    return {
      call: t
        .http()
        .post('/api/auth/device/approve')
        .auth(w.alice.token, bearer)
        .send({ user_code: init.user_code }),
      events: ['device_flow.approve'],
    };
  },
  'POST /api/auth/device/deny': async (t, w) => {
    const init = await initDevice(t, { client_device_identifier: unique('tv') });
    return {
      call: t
        .http()
        .post('/api/auth/device/deny')
        .auth(w.alice.token, bearer)
        .send({ user_code: init.user_code }),
      events: ['device_flow.deny'],
    };
  },
  'POST /api/auth/device/token': async (t, w) => ({
    call: t
      .http()
      .post('/api/auth/device/token')
      .send({ device_code: (await approved(t, w)).device_code }),
    events: ['device_flow.token_issued'],
  }),
  'POST /oauth/token': async (t, w) => {
    const init = await approved(t, w);
    return {
      call: t
        .http()
        .post('/oauth/token')
        .type('form')
        .send(`grant_type=${GRANT}&device_code=${init.device_code}&client_id=tv-app`),
      events: ['device_flow.token_issued'],
    };
  },
  'POST /oauth/revoke': async (t, w) => {
    const init = await approved(t, w);
    const collected = await t
      .http()
      .post('/oauth/token')
      .type('form')
      .send(`grant_type=${GRANT}&device_code=${init.device_code}&client_id=tv-app`)
      .expect(200);
    return {
      call: t
        .http()
        .post('/oauth/revoke')
        .type('form')
        .send(`token=${collected.body.access_token}&client_id=tv-app`),
      events: ['client_token.revoke'],
    };
  },
  // A read: asking about a token changes nothing, so it records nothing.
  'POST /oauth/introspect': async (t, w) => {
    const reader = await createToken(t, w.admin.token, { scopes: ['tokens.introspect'] });
    return {
      call: t
        .http()
        .post('/oauth/introspect')
        .type('form')
        .set('Authorization', `Bearer ${reader.raw}`)
        .send(`token=${w.alice.token}`),
      events: [],
    };
  },
  'POST /api/token-leaks': async (t, w) => ({
    call: t
      .http()
      .post('/api/token-leaks')
      .send({ tokens: [(await createToken(t, w.alice.token)).raw] }),
    events: ['token.leak_revoked'],
  }),
  'POST /api/admin/oauth-clients': async (t, w) => ({
    call: t
      .http()
      .post('/api/admin/oauth-clients')
      .auth(w.admin.token, bearer)
      .send({ display_name: 'New', allowed_scopes: ['me.read'] }),
    events: ['oauth_client.create'],
  }),
  'PATCH /api/admin/oauth-clients/:client_id': async (t, w) => ({
    call: t
      .http()
      .patch(`/api/admin/oauth-clients/${await oauthClient(t, w)}`)
      .auth(w.admin.token, bearer)
      .send({ display_name: 'Renamed' }),
    events: ['oauth_client.update'],
  }),
  'DELETE /api/admin/oauth-clients/:client_id': async (t, w) => ({
    call: t
      .http()
      .delete(`/api/admin/oauth-clients/${await oauthClient(t, w)}`)
      .auth(w.admin.token, bearer),
    events: ['oauth_client.delete'],
  }),
  'POST /api/admin/oauth-clients/:client_id/secret': async (t, w) => ({
    call: t
      .http()
      .post(`/api/admin/oauth-clients/${await oauthClient(t, w)}/secret`)
      .auth(w.admin.token, bearer),
    events: ['oauth_client.secret_rotated'],
  }),
  'DELETE /api/admin/oauth-clients/:client_id/secret': async (t, w) => {
    const id = await oauthClient(t, w);
    await t
      .http()
      .post(`/api/admin/oauth-clients/${id}/secret`)
      .auth(w.admin.token, bearer)
      .expect(201);
    return {
      call: t.http().delete(`/api/admin/oauth-clients/${id}/secret`).auth(w.admin.token, bearer),
      events: ['oauth_client.secret_removed'],
    };
  },
  'POST /api/client-tokens': async (t, w) => ({
    call: t
      .http()
      .post('/api/client-tokens')
      .auth(w.alice.token, bearer)
      .send({ name: 'cli', scopes: ['me.read'] }),
    events: ['client_token.create'],
  }),
  'POST /api/client-tokens/exchange': async (t, w) => {
    const token = await createToken(t, w.alice.token);
    const pair = await t
      .http()
      .post(`/api/client-tokens/${token.id}/pair`)
      .auth(w.alice.token, bearer)
      .expect((res) => expect(res.status).toBeLessThan(300));
    return {
      call: t.http().post('/api/client-tokens/exchange').send({ code: pair.body.code }),
      events: ['client_token.exchange'],
    };
  },
  'PATCH /api/client-tokens/:id': async (t, w) => ({
    call: t
      .http()
      .patch(`/api/client-tokens/${(await createToken(t, w.alice.token)).id}`)
      .auth(w.alice.token, bearer)
      .send({ name: 'renamed' }),
    events: ['client_token.rename'],
  }),
  'DELETE /api/client-tokens/:id': async (t, w) => ({
    call: t
      .http()
      .delete(`/api/client-tokens/${(await createToken(t, w.alice.token)).id}`)
      .auth(w.alice.token, bearer),
    events: ['client_token.revoke'],
  }),
  'POST /api/client-tokens/:id/rotate': async (t, w) => ({
    call: t
      .http()
      .post(`/api/client-tokens/${(await createToken(t, w.alice.token)).id}/rotate`)
      .auth(w.alice.token, bearer),
    events: ['client_token.rotate'],
  }),
  'POST /api/client-tokens/:id/pair': async (t, w) => ({
    call: t
      .http()
      .post(`/api/client-tokens/${(await createToken(t, w.alice.token)).id}/pair`)
      .auth(w.alice.token, bearer),
    events: ['client_token.pair'],
  }),
  'DELETE /api/admin/client-tokens/:id': async (t, w) => ({
    call: t
      .http()
      .delete(`/api/admin/client-tokens/${(await createToken(t, w.alice.token)).id}`)
      .auth(w.admin.token, bearer),
    events: ['client_token.admin_revoke'],
  }),
  'POST /api/long-lived-tokens': async (t, w) => ({
    call: t
      .http()
      .post('/api/long-lived-tokens')
      .auth(w.alice.token, bearer)
      .send({ name: 'kiosk', expires_in_days: 30 }),
    events: ['long_lived_token.create'],
  }),
  'DELETE /api/long-lived-tokens/:id': async (t, w) => {
    const created = await t
      .http()
      .post('/api/long-lived-tokens')
      .auth(w.alice.token, bearer)
      .send({ name: 'kiosk', expires_in_days: 30 })
      .expect(201);
    return {
      call: t
        .http()
        .delete(`/api/long-lived-tokens/${created.body.id}`)
        .auth(w.alice.token, bearer),
      events: ['long_lived_token.revoke'],
    };
  },
  'DELETE /api/admin/long-lived-tokens/:id': async (t, w) => {
    const created = await t
      .http()
      .post('/api/long-lived-tokens')
      .auth(w.alice.token, bearer)
      .send({ name: 'kiosk', expires_in_days: 30 })
      .expect(201);
    return {
      call: t
        .http()
        .delete(`/api/admin/long-lived-tokens/${created.body.id}`)
        .auth(w.admin.token, bearer),
      events: ['long_lived_token.admin_revoke'],
    };
  },
};

describe('audit coverage: every state-changing route records its event', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await createTestApp(RELAXED_LIMITS);
  });
  afterAll(() => t?.close());

  it('has a fixture for every non-GET route the app serves', () => {
    const routes = discoverRoutes(t.app)
      .filter((r) => r.method !== 'GET')
      .map((r) => `${r.method} ${r.path}`);
    expect(routes.filter((r) => !FIXTURES[r])).toEqual([]);
  });

  it('records exactly the events each one names, in the same transaction as the change', async () => {
    const events = async () => {
      await t.sealAudit();
      return t.db.getRepository(AuditEvent).find({ order: { id: 'ASC' } });
    };
    // Setup first: it is open only while no admin exists.
    const problems: string[] = [];
    const run = async (route: string) => {
      const { call, events: expected } = await FIXTURES[route](t, w);
      const before = (await events()).length;
      const res = await call;
      if (res.status >= 300) {
        problems.push(`${route}: ${res.status} ${JSON.stringify(res.body)}`);
        return;
      }
      const recorded = (await events()).slice(before).map((e) => e.action);
      if (JSON.stringify(recorded) !== JSON.stringify(expected)) {
        problems.push(
          `${route}: recorded ${JSON.stringify(recorded)}, expected ${JSON.stringify(expected)}`,
        );
      }
    };
    await run('POST /api/setup');
    w = {
      admin: await t.factory.session({ role: 'admin' }),
      alice: await t.factory.session(),
    };
    for (const route of Object.keys(FIXTURES).filter((r) => r !== 'POST /api/setup')) {
      await run(route);
    }
    expect(problems).toEqual([]);
  });
});
