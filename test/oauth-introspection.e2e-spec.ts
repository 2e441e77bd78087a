import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';
import passport from 'passport';
import { Strategy as HttpBearerStrategy } from 'passport-http-bearer';
import { createToken, expectError } from './support/client-tokens.js';
import { approve, RELAXED_LIMITS } from './support/device-flow.js';
import { createServedTestApp, createTestApp, type TestApp } from './support/test-app.js';

const bearer = { type: 'bearer' } as const;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

describe('token introspection (RFC 7662)', () => {
  let t: TestApp;
  let baseUrl: string;
  let admin: { token: string; user: { id: string } };
  let alice: { token: string; user: { id: string; username: string } };
  /** A confidential client an admin allowed to introspect: the resource server. */
  let api: { id: string; secret: string };

  async function registerClient(body: Record<string, unknown>) {
    const res = await t
      .http()
      .post('/api/admin/oauth-clients')
      .auth(admin.token, bearer)
      .send({ display_name: 'App', allowed_scopes: ['me.read', 'devices.read'], ...body })
      .expect(201);
    return { id: res.body.client_id as string, secret: res.body.client_secret as string };
  }

  async function discover(clientId: string, secret?: string, auth = client.None()) {
    return client.discovery(new URL(baseUrl), clientId, secret, auth, {
      algorithm: 'oauth2',
      execute: [client.allowInsecureRequests],
    });
  }

  /** A TV pairs through an unmodified openid-client; alice approves it with `scope`. */
  async function pairedTv(clientId: string, scope = 'me.read devices.read') {
    const config = await discover(clientId);
    const authorization = await client.initiateDeviceAuthorization(config, { scope });
    await approve(t, alice.token, { user_code: authorization.user_code }).expect(200);
    const tokens = await client.pollDeviceAuthorizationGrant(config, authorization);
    return { config, token: tokens.access_token };
  }

  const introspect = (fields: Record<string, string>, authorization?: string) => {
    const request = t.http().post('/oauth/introspect').type('form');
    if (authorization) request.set('Authorization', authorization);
    return request.send(form(fields));
  };

  beforeAll(async () => {
    ({ t, baseUrl } = await createServedTestApp({
      ...RELAXED_LIMITS,
      DEVICE_POLL_INTERVAL_SECONDS: '1',
    }));
    admin = await t.factory.session({ role: 'admin' });
    alice = (await t.factory.session()) as typeof alice;
    api = await registerClient({
      client_id: 'photos-api',
      confidential: true,
      may_introspect: true,
    });
  });
  afterAll(() => t?.close());

  it('is announced in the metadata with the ways a caller authenticates', async () => {
    const res = await t.http().get('/.well-known/oauth-authorization-server').expect(200);
    expect(res.body).toMatchObject({
      introspection_endpoint: `${baseUrl}/oauth/introspect`,
      introspection_endpoint_auth_methods_supported: [
        'client_secret_basic',
        'client_secret_post',
        'bearer',
      ],
    });
  });

  it("describes a device's token to an unmodified openid-client, with its device and client", async () => {
    const tv = await pairedTv('living-room-tv');
    const before = Math.floor(Date.now() / 1000);
    const resource = await discover(api.id, api.secret, client.ClientSecretBasic(api.secret));
    const answer = await client.tokenIntrospection(resource, tv.token);
    const device = await t.http().get('/api/users/me').auth(tv.token, bearer).expect(200);
    expect(answer).toEqual({
      active: true,
      scope: 'me.read devices.read',
      client_id: 'living-room-tv',
      username: alice.user.username,
      sub: alice.user.id,
      token_type: 'Bearer',
      exp: expect.any(Number),
      iat: expect.any(Number),
      iss: baseUrl,
      device_id: device.body.current_device_id,
      token_kind: 'client',
    });
    expect(answer.iat).toBeLessThanOrEqual(before);
    expect(answer.iat).toBeGreaterThan(before - 60);
    // client_secret_post works too.
    const posted = await discover(api.id, api.secret, client.ClientSecretPost(api.secret));
    expect((await client.tokenIntrospection(posted, tv.token)).active).toBe(true);
  });

  it('sees a revocation on the very next call, and says only active: false', async () => {
    const tv = await pairedTv('bedroom-tv');
    const resource = await discover(api.id, api.secret, client.ClientSecretBasic(api.secret));
    expect((await client.tokenIntrospection(resource, tv.token)).active).toBe(true);
    await client.tokenRevocation(tv.config, tv.token);
    expect(await client.tokenIntrospection(resource, tv.token)).toEqual({ active: false });
  });

  it('answers active: false, and nothing more, for unknown, malformed, expired and disabled', async () => {
    const auth = basic(api.id, api.secret);
    const expiring = await createToken(t, alice.token, { expires_in_days: 1 });
    const bob = await t.factory.session();
    const bobs = await createToken(t, bob.token);
    await t
      .http()
      .patch(`/api/admin/users/${bob.user.id}`)
      .auth(admin.token, bearer)
      .send({ disabled: true })
      .expect(200);
    t.clock.advanceSeconds(2 * 86400);
    try {
      for (const token of [
        'pgc_madeup',
        'not a token at all',
        expiring.raw,
        bobs.raw,
        `${alice.token}x`,
      ]) {
        const res = await introspect({ token }, auth).expect(200);
        expect(res.body).toEqual({ active: false });
        expect(res.headers['cache-control']).toBe('no-store');
      }
    } finally {
      t.clock.advanceSeconds(-2 * 86400);
    }
  });

  it('describes personal access tokens, long-lived tokens and sessions with their expiry', async () => {
    const auth = basic(api.id, api.secret);
    const pat = await createToken(t, alice.token, { expires_in_days: 30 });
    const res = await introspect({ token: pat.raw, token_type_hint: 'access_token' }, auth).expect(
      200,
    );
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      active: true,
      scope: 'me.read tokens.read',
      username: alice.user.username,
      sub: alice.user.id,
      token_type: 'Bearer',
      exp: Math.floor(new Date(pat.body.expires_at as string).getTime() / 1000),
      iat: expect.any(Number),
      iss: baseUrl,
      token_kind: 'client',
    });
    const camera = await t
      .http()
      .post('/api/long-lived-tokens')
      .auth(alice.token, bearer)
      .send({ name: 'hall camera', expires_in_days: 30 })
      .expect(201);
    const longLived = await introspect({ token: camera.body.access_token as string }, auth).expect(
      200,
    );
    expect(longLived.body).toMatchObject({
      active: true,
      scope: 'camera.stream',
      token_kind: 'long_lived',
    });
    expect(longLived.body.exp).toBe(
      Math.floor(new Date(camera.body.expires_at as string).getTime() / 1000),
    );
    const session = await introspect({ token: alice.token }, auth).expect(200);
    expect(session.body).toMatchObject({ active: true, token_kind: 'session', sub: alice.user.id });
  });

  it('answers a bearer token holding tokens.introspect, which only admins may hold', async () => {
    const reader = await createToken(t, admin.token, { scopes: ['tokens.introspect'] });
    const pat = await createToken(t, alice.token);
    const res = await introspect({ token: pat.raw }, `Bearer ${reader.raw}`).expect(200);
    expect(res.body).toMatchObject({ active: true, sub: alice.user.id });
    const refused = await t
      .http()
      .post('/api/client-tokens')
      .auth(alice.token, bearer)
      .send({ name: 'snoop', scopes: ['tokens.introspect'] });
    expectError(refused, 403, 'scope_not_allowed');
  });

  it('refuses every other caller with 401 and a challenge, before looking at the token', async () => {
    const target = (await createToken(t, alice.token)).raw;
    const publicClient = await registerClient({ client_id: 'public-app' });
    const notAllowed = await registerClient({ client_id: 'web-app', confidential: true });
    const cases: [string, Record<string, string>, string | undefined, string, RegExp][] = [
      ['nobody', { token: target }, undefined, 'invalid_client', /^Basic/],
      [
        'a public client',
        { token: target, client_id: publicClient.id },
        undefined,
        'invalid_client',
        /^Basic/,
      ],
      [
        'a client not allowed',
        { token: target },
        basic(notAllowed.id, notAllowed.secret),
        'invalid_client',
        /^Basic/,
      ],
      [
        'a wrong secret',
        { token: target },
        basic(api.id, `${api.secret}x`),
        'invalid_client',
        /^Basic/,
      ],
      [
        'an unregistered client',
        { token: target, client_id: 'nobody', client_secret: 'pgx_x' },
        undefined,
        'invalid_client',
        /^Basic/,
      ],
      [
        'a token without the scope',
        { token: target },
        `Bearer ${alice.token}`,
        'insufficient_scope',
        /^Bearer .*insufficient_scope/,
      ],
      [
        'a revoked bearer',
        { token: target },
        'Bearer pgc_madeup',
        'invalid_token',
        /^Bearer .*invalid_token/,
      ],
    ];
    for (const [who, fields, authorization, error, challenge] of cases) {
      const res = await introspect(fields, authorization);
      expect({ who, status: res.status, error: res.body.error }).toEqual({
        who,
        status: 401,
        error,
      });
      expect(res.body.active).toBeUndefined();
      expect(res.headers['www-authenticate']).toMatch(challenge);
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const missing = await introspect({}, basic(api.id, api.secret)).expect(400);
    expect(missing.body.error).toBe('invalid_request');
  });

  it('stops a public client from being allowed to introspect', async () => {
    const created = await t
      .http()
      .post('/api/admin/oauth-clients')
      .auth(admin.token, bearer)
      .send({ display_name: 'X', allowed_scopes: ['me.read'], may_introspect: true });
    expectError(created, 400, 'validation_failed');
    const publicClient = await registerClient({ client_id: 'public-tv' });
    const patched = await t
      .http()
      .patch(`/api/admin/oauth-clients/${publicClient.id}`)
      .auth(admin.token, bearer)
      .send({ may_introspect: true });
    expect(patched.status).toBe(409);
    // Removing a client's secret takes its permission with it.
    const hub = await registerClient({
      client_id: 'hub-api',
      confidential: true,
      may_introspect: true,
    });
    const removed = await t
      .http()
      .delete(`/api/admin/oauth-clients/${hub.id}/secret`)
      .auth(admin.token, bearer)
      .expect(200);
    expect(removed.body).toMatchObject({ confidential: false, may_introspect: false });
  });

  it('lets a downstream service written with passport-http-bearer authorize through it', async () => {
    // The photo service trusts pairgate's answer: a live token with me.read gets in.
    passport.use(
      'pairgate',
      new HttpBearerStrategy(async (token, done) => {
        try {
          const res = await fetch(`${baseUrl}/oauth/introspect`, {
            method: 'POST',
            headers: {
              Authorization: basic(api.id, api.secret),
              'Content-Type': 'application/x-www-form-urlencoded',
            },
            body: form({ token }),
          });
          const answer = (await res.json()) as { active: boolean; scope?: string; sub?: string };
          if (!answer.active) return done(null, false);
          return done(null, answer, { scope: answer.scope ?? '' });
        } catch (error) {
          return done(error as Error);
        }
      }),
    );
    const server: Server = createServer((req: IncomingMessage, res) => {
      passport.authenticate(
        'pairgate',
        { session: false },
        (error: unknown, user: { sub: string; scope: string; device_id?: string } | false) => {
          if (error) return void res.writeHead(502).end();
          if (!user) {
            return void res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
          }
          if (!user.scope.split(' ').includes('me.read')) return void res.writeHead(403).end();
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ owner: user.sub, device: user.device_id ?? null }));
        },
      )(req, res, () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const photos = `http://127.0.0.1:${(server.address() as AddressInfo).port}/photos`;
    try {
      const tv = await pairedTv('photo-frame', 'me.read');
      const ok = await fetch(photos, { headers: { Authorization: `Bearer ${tv.token}` } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ owner: alice.user.id, device: expect.any(String) });
      const narrow = await pairedTv('photo-frame', 'devices.read');
      const forbidden = await fetch(photos, {
        headers: { Authorization: `Bearer ${narrow.token}` },
      });
      expect(forbidden.status).toBe(403);
      await client.tokenRevocation(tv.config, tv.token);
      const after = await fetch(photos, { headers: { Authorization: `Bearer ${tv.token}` } });
      expect(after.status).toBe(401);
      expect((await fetch(photos)).status).toBe(401);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('token introspection under load from one caller', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ INTROSPECTION_RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(() => t?.close());

  it('throttles each caller on its own', async () => {
    const admin = await t.factory.session({ role: 'admin' });
    const first = await createToken(t, admin.token, { scopes: ['tokens.introspect'] });
    const second = await createToken(t, admin.token, { scopes: ['tokens.introspect'] });
    const ask = (reader: string) =>
      t
        .http()
        .post('/oauth/introspect')
        .type('form')
        .set('Authorization', `Bearer ${reader}`)
        .send(form({ token: admin.token }));
    await ask(first.raw).expect(200);
    await ask(first.raw).expect(200);
    const limited = await ask(first.raw).expect(429);
    expect(limited.body.error).toBe('slow_down');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await ask(second.raw).expect(200);
  });
});
