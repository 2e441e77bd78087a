import * as client from 'openid-client';
import { approve, auditEvents, pending, RELAXED_LIMITS } from './support/device-flow.js';
import { createServedTestApp, type TestApp } from './support/test-app.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

describe('confidential OAuth clients', () => {
  let t: TestApp;
  let baseUrl: string;
  let admin: { token: string; user: { id: string } };
  let alice: { token: string; user: { id: string } };
  let secret: string;

  beforeAll(async () => {
    ({ t, baseUrl } = await createServedTestApp({
      ...RELAXED_LIMITS,
      DEVICE_POLL_INTERVAL_SECONDS: '1',
    }));
    admin = await t.factory.session({ role: 'admin' });
    alice = await t.factory.session();
    const created = await asAdmin('post', '/api/admin/oauth-clients')
      .send({
        client_id: 'hub-server',
        display_name: 'Home Hub',
        allowed_scopes: ['me.read', 'devices.read'],
        confidential: true,
      })
      .expect(201);
    secret = created.body.client_secret;
  });
  afterAll(() => t?.close());

  const asAdmin = (method: 'get' | 'post' | 'delete', path: string) =>
    t.http()[method](path).set('authorization', `Bearer ${admin.token}`);

  const form = (path: string, fields: Record<string, string>, authorization?: string) => {
    const req = t.http().post(path).type('form');
    if (authorization) req.set('authorization', authorization);
    return req.send(new URLSearchParams(fields).toString());
  };

  async function discover(auth: client.ClientAuth, secretValue?: string) {
    return client.discovery(new URL(baseUrl), 'hub-server', secretValue, auth, {
      algorithm: 'oauth2',
      execute: [client.allowInsecureRequests],
    });
  }

  it('get a pgx_ secret once, stored only as a hash, and listed as confidential', async () => {
    expect(secret).toMatch(/^pgx_[0-9A-Za-z]{38}$/);
    const shown = await asAdmin('get', '/api/admin/oauth-clients/hub-server').expect(200);
    expect(shown.body).toMatchObject({
      confidential: true,
      secret_prefix: secret.slice(4, 12),
    });
    expect(shown.body.client_secret).toBeUndefined();
    const [row] = await t.db.query(
      "SELECT secret_hash FROM oauth_clients WHERE client_id = 'hub-server'",
    );
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.secret_hash).not.toContain(secret.slice(4));
    const [event] = await auditEvents(t, 'oauth_client.create');
    expect(JSON.stringify(event)).not.toContain(secret);
    expect(event.details).toMatchObject({ confidential: true });
  });

  it('advertise client_secret_basic and client_secret_post in the metadata', async () => {
    const res = await t.http().get('/.well-known/oauth-authorization-server').expect(200);
    expect(res.body.token_endpoint_auth_methods_supported).toEqual([
      'none',
      'client_secret_basic',
      'client_secret_post',
    ]);
  });

  it('pair an openid-client using client_secret_basic, shown as verified', async () => {
    const config = await discover(client.ClientSecretBasic(secret), secret);
    const authorization = await client.initiateDeviceAuthorization(config, { scope: 'me.read' });
    const shown = await pending(t, alice.token, authorization.user_code).expect(200);
    expect(shown.body).toMatchObject({
      client_id: 'hub-server',
      client_name: 'Home Hub',
      client_registered: true,
      client_verified: true,
      client_warning: null,
    });
    await approve(t, alice.token, { user_code: authorization.user_code }).expect(200);
    const tokens = await client.pollDeviceAuthorizationGrant(config, authorization);
    expect(tokens.access_token).toMatch(/^pgc_/);
    const [init] = (await auditEvents(t, 'device_flow.init')).slice(-1);
    expect(init.details).toMatchObject({ client_auth_method: 'client_secret_basic' });
  });

  it('pair an openid-client using client_secret_post, shown as verified', async () => {
    const config = await discover(client.ClientSecretPost(secret), secret);
    const authorization = await client.initiateDeviceAuthorization(config, { scope: 'me.read' });
    const shown = await pending(t, alice.token, authorization.user_code).expect(200);
    expect(shown.body.client_verified).toBe(true);
    await approve(t, alice.token, { user_code: authorization.user_code }).expect(200);
    const tokens = await client.pollDeviceAuthorizationGrant(config, authorization);
    expect(tokens.scope).toBe('me.read');
  });

  it('refuse a confidential client that does not authenticate, on both surfaces, with 401 invalid_client', async () => {
    const oauth = await form('/oauth/device_authorization', {
      client_id: 'hub-server',
      scope: 'me.read',
    }).expect(401);
    expect(oauth.body.error).toBe('invalid_client');
    expect(oauth.body.error_description).toContain('confidential');
    expect(oauth.headers['www-authenticate']).toBe('Basic realm="pairgate"');
    const json = await t
      .http()
      .post('/api/auth/device/init')
      .send({ client_id: 'hub-server', client_device_identifier: 'x', scopes: ['me.read'] })
      .expect(401);
    expect(json.body.error).toBe('invalid_client');
    // openid-client as a public client gets the 401 and its Basic challenge.
    const config = await discover(client.None());
    await expect(
      client.initiateDeviceAuthorization(config, { scope: 'me.read' }),
    ).rejects.toMatchObject({
      name: 'WWWAuthenticateChallengeError',
      status: 401,
      cause: [expect.objectContaining({ scheme: 'basic' })],
    });
  });

  it('refuse a wrong secret, a secret for a public client, and two methods at once', async () => {
    const wrong = await form(
      '/oauth/device_authorization',
      { scope: 'me.read' },
      // Another last character: the secret's own may be an x (one secret in 64).
      basic('hub-server', `${secret.slice(0, -1)}${secret.endsWith('x') ? 'y' : 'x'}`),
    ).expect(401);
    expect(wrong.body).toMatchObject({
      error: 'invalid_client',
      error_description: expect.stringContaining('wrong client secret'),
    });
    const wrongPost = await form('/oauth/device_authorization', {
      client_id: 'hub-server',
      client_secret: 'not-it',
    }).expect(401);
    expect(wrongPost.body.error).toBe('invalid_client');
    const publicWithSecret = await form('/oauth/device_authorization', {
      client_id: 'some-cli',
      client_secret: 'whatever',
      scope: 'me.read',
    }).expect(401);
    expect(publicWithSecret.body.error_description).toContain('public client');
    const both = await form(
      '/oauth/device_authorization',
      { client_secret: secret, scope: 'me.read' },
      basic('hub-server', secret),
    ).expect(400);
    expect(both.body.error).toBe('invalid_request');
    const garbled = await form('/oauth/device_authorization', { scope: 'me.read' }, 'Basic !!!');
    expect(garbled.status).toBe(401);
    expect(garbled.body.error).toBe('invalid_client');
    const mismatch = await form(
      '/oauth/device_authorization',
      { client_id: 'other', scope: 'me.read' },
      basic('hub-server', secret),
    ).expect(401);
    expect(mismatch.body.error).toBe('invalid_client');
  });

  it('require the secret on every poll of the token endpoint, on both surfaces', async () => {
    const init = await form(
      '/oauth/device_authorization',
      { scope: 'me.read' },
      basic('hub-server', secret),
    ).expect(200);
    const code = init.body.device_code;
    const unauthenticated = await form('/oauth/token', {
      grant_type: GRANT,
      device_code: code,
      client_id: 'hub-server',
    }).expect(401);
    expect(unauthenticated.body.error).toBe('invalid_client');
    const json = await t
      .http()
      .post('/api/auth/device/token')
      .send({ device_code: code })
      .expect(401);
    expect(json.body.error).toBe('invalid_client');
    const polled = await form(
      '/oauth/token',
      { grant_type: GRANT, device_code: code },
      basic('hub-server', secret),
    ).expect(400);
    expect(polled.body.error).toBe('authorization_pending');
  });

  it('get a new secret that replaces the old one at once, and become public on request', async () => {
    const rotated = await asAdmin('post', '/api/admin/oauth-clients/hub-server/secret').expect(201);
    expect(rotated.body.client_secret).toMatch(/^pgx_/);
    expect(rotated.body.client_secret).not.toBe(secret);
    const old = await form(
      '/oauth/device_authorization',
      { scope: 'me.read' },
      basic('hub-server', secret),
    ).expect(401);
    expect(old.body.error).toBe('invalid_client');
    await form(
      '/oauth/device_authorization',
      { scope: 'me.read' },
      basic('hub-server', rotated.body.client_secret),
    ).expect(200);
    secret = rotated.body.client_secret;

    const made = await asAdmin('delete', '/api/admin/oauth-clients/hub-server/secret').expect(200);
    expect(made.body).toMatchObject({ confidential: false, secret_prefix: null });
    await asAdmin('delete', '/api/admin/oauth-clients/hub-server/secret').expect(409);
    const now = await form('/oauth/device_authorization', {
      client_id: 'hub-server',
      scope: 'me.read',
    }).expect(200);
    const shown = await pending(t, alice.token, now.body.user_code).expect(200);
    expect(shown.body).toMatchObject({ client_registered: true, client_verified: false });
    const events = (await auditEvents(t, 'oauth_client.secret_rotated')).concat(
      await auditEvents(t, 'oauth_client.secret_removed'),
    );
    expect(events).toHaveLength(2);
    expect(JSON.stringify(events)).not.toContain(secret);
  });
});
