import { spawn } from 'node:child_process';
import * as client from 'openid-client';
import { approve, auditEvents, RELAXED_LIMITS } from './support/device-flow.js';
import { createServedTestApp, type TestApp } from './support/test-app.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

describe('device flow (standard OAuth surface)', () => {
  let t: TestApp;
  let baseUrl: string;
  let alice: { token: string; user: { id: string; username: string } };

  beforeAll(async () => {
    ({ t, baseUrl } = await createServedTestApp({
      ...RELAXED_LIMITS,
      // openid-client sleeps the real interval between polls.
      DEVICE_POLL_INTERVAL_SECONDS: '1',
    }));
    alice = await t.factory.session();
  });
  afterAll(() => t?.close());

  const form = (path: string, fields: Record<string, string | string[]>) =>
    t
      .http()
      .post(path)
      .type('form')
      .send(new URLSearchParams(toPairs(fields)).toString());

  function toPairs(fields: Record<string, string | string[]>): string[][] {
    return Object.entries(fields).flatMap(([k, v]) =>
      (Array.isArray(v) ? v : [v]).map((x) => [k, x]),
    );
  }

  it('publishes RFC 8414 metadata with every registered scope', async () => {
    const res = await t.http().get('/.well-known/oauth-authorization-server').expect(200);
    expect(res.body).toEqual({
      issuer: baseUrl,
      device_authorization_endpoint: `${baseUrl}/oauth/device_authorization`,
      token_endpoint: `${baseUrl}/oauth/token`,
      grant_types_supported: [GRANT],
      response_types_supported: [],
      scopes_supported: expect.arrayContaining([
        'me.read',
        'me.write',
        'devices.read',
        'devices.write',
        'tokens.read',
        'tokens.write',
        'admin',
      ]),
      token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
      revocation_endpoint: `${baseUrl}/oauth/revoke`,
      revocation_endpoint_auth_methods_supported: [
        'none',
        'client_secret_basic',
        'client_secret_post',
      ],
      introspection_endpoint: `${baseUrl}/oauth/introspect`,
      introspection_endpoint_auth_methods_supported: [
        'client_secret_basic',
        'client_secret_post',
        'bearer',
      ],
      service_documentation: `${baseUrl}/api/docs`,
    });
  });

  it('answers a form-encoded device authorization request with 200 and no-store', async () => {
    const res = await form('/oauth/device_authorization', {
      client_id: 'cli-tool',
      scope: 'me.read devices.read',
      device_identifier: 'laptop-7',
      device_name: 'Work laptop',
      unknown_extension: 'ignored',
    }).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      device_code: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      user_code: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/),
      verification_uri: `${baseUrl}/pair/device`,
      verification_uri_complete: `${baseUrl}/pair/device?user_code=${res.body.user_code}`,
      expires_in: 600,
      interval: 1,
    });
    const shown = await t
      .http()
      .get(`/api/auth/device/pending?user_code=${res.body.user_code}`)
      .set('authorization', `Bearer ${alice.token}`)
      .expect(200);
    expect(shown.body).toMatchObject({
      client_id: 'cli-tool',
      client_name: 'cli-tool',
      client_verified: false,
      client_device_identifier: 'laptop-7',
      device_name: 'Work laptop',
    });
  });

  it('reads only the parameters the endpoint defines: object-property names are ignored', async () => {
    const body =
      'constructor=y&toString=z&hasOwnProperty=w&valueOf=v&client_id=cli-tool&scope=me.read';
    const res = await t
      .http()
      .post('/oauth/device_authorization')
      .type('form')
      .send(body)
      .expect(200);
    expect(res.body.user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    // A repeated parameter is still refused, in the RFC shape.
    const twice = await t
      .http()
      .post('/oauth/device_authorization')
      .type('form')
      .send('client_id=cli-tool&scope=me.read&scope=devices.read')
      .expect(400);
    expect(twice.body).toEqual({
      error: 'invalid_request',
      error_description: expect.stringContaining('scope must be given once, space-separated'),
    });
  });

  it('answers device authorization errors as RFC 6749 JSON', async () => {
    const cases: Array<[Record<string, string | string[]>, string]> = [
      [{ scope: 'me.read' }, 'invalid_request'],
      [{ client_id: 'cli', scope: 'me.read rockets.launch' }, 'invalid_scope'],
      [{ client_id: 'cli' }, 'invalid_scope'],
      [{ client_id: 'cli', scope: ['me.read', 'me.write'] }, 'invalid_request'],
      [{ client_id: 'bad id!', scope: 'me.read' }, 'invalid_request'],
    ];
    for (const [fields, error] of cases) {
      const res = await form('/oauth/device_authorization', fields);
      expect(res.status).toBe(400);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({ error, error_description: expect.any(String) });
    }
  });

  it('drives the token endpoint through pending, slow_down, success and reuse', async () => {
    const init = await form('/oauth/device_authorization', {
      client_id: 'cli-tool',
      scope: 'me.read',
    }).expect(200);
    const tokenForm = {
      grant_type: GRANT,
      device_code: init.body.device_code,
      client_id: 'cli-tool',
    };
    const first = await form('/oauth/token', tokenForm).expect(400);
    expect(first.body).toMatchObject({ error: 'authorization_pending' });
    expect(first.headers['cache-control']).toBe('no-store');
    const fast = await form('/oauth/token', tokenForm).expect(400);
    expect(fast.body).toMatchObject({ error: 'slow_down', interval: 6 });

    await approve(t, alice.token, { user_code: init.body.user_code }).expect(200);
    const ok = await form('/oauth/token', tokenForm).expect(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.body).toMatchObject({ token_type: 'Bearer', scope: 'me.read' });

    const again = await form('/oauth/token', tokenForm).expect(400);
    expect(again.body.error).toBe('invalid_grant');
  });

  it('answers token endpoint errors as RFC 6749 JSON, never a redirect', async () => {
    const init = await form('/oauth/device_authorization', {
      client_id: 'cli-tool',
      scope: 'me.read',
    }).expect(200);
    const cases: Array<[Record<string, string | string[]>, string]> = [
      [
        { grant_type: 'authorization_code', code: 'x', client_id: 'cli-tool' },
        'unsupported_grant_type',
      ],
      [{ device_code: init.body.device_code, client_id: 'cli-tool' }, 'invalid_request'],
      [{ grant_type: GRANT, client_id: 'cli-tool' }, 'invalid_request'],
      [{ grant_type: GRANT, device_code: init.body.device_code }, 'invalid_request'],
      [
        { grant_type: GRANT, device_code: init.body.device_code, client_id: 'other' },
        'invalid_grant',
      ],
      [{ grant_type: GRANT, device_code: 'A'.repeat(43), client_id: 'cli-tool' }, 'invalid_grant'],
      [
        { grant_type: GRANT, device_code: [init.body.device_code, 'x'], client_id: 'cli-tool' },
        'invalid_request',
      ],
    ];
    for (const [fields, error] of cases) {
      const res = await form('/oauth/token', fields);
      expect(res.status).toBe(400);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.location).toBeUndefined();
      expect(res.body).toEqual({ error, error_description: expect.any(String) });
    }
    const wrongType = await t
      .http()
      .post('/oauth/token')
      .set('content-type', 'text/plain')
      .send('grant_type=x');
    expect(wrongType.status).toBeGreaterThanOrEqual(400);
    expect(wrongType.body).toEqual({
      error: 'invalid_request',
      error_description: expect.any(String),
    });
    expect(wrongType.headers['cache-control']).toBe('no-store');
  });

  it('denied and expired requests give access_denied and expired_token', async () => {
    const denied = await form('/oauth/device_authorization', { client_id: 'c', scope: 'me.read' });
    await t
      .http()
      .post('/api/auth/device/deny')
      .set('authorization', `Bearer ${alice.token}`)
      .send({ user_code: denied.body.user_code })
      .expect(200);
    const d = await form('/oauth/token', {
      grant_type: GRANT,
      device_code: denied.body.device_code,
      client_id: 'c',
    });
    expect(d.body.error).toBe('access_denied');

    const expiring = await form('/oauth/device_authorization', {
      client_id: 'c',
      scope: 'me.read',
    });
    t.clock.advanceSeconds(601);
    const e = await form('/oauth/token', {
      grant_type: GRANT,
      device_code: expiring.body.device_code,
      client_id: 'c',
    });
    expect(e.body.error).toBe('expired_token');
  });

  it('pairs an unmodified openid-client, which then calls the API with its token', async () => {
    const config = await client.discovery(
      new URL(baseUrl),
      'oidc-test-client',
      undefined,
      client.None(),
      {
        algorithm: 'oauth2',
        execute: [client.allowInsecureRequests],
      },
    );
    expect(config.serverMetadata().device_authorization_endpoint).toBe(
      `${baseUrl}/oauth/device_authorization`,
    );
    const authorization = await client.initiateDeviceAuthorization(config, {
      scope: 'me.read devices.read',
    });
    expect(authorization.verification_uri).toBe(`${baseUrl}/pair/device`);

    // The person approves on the pairing page, which calls the JSON API as them.
    const shown = await t
      .http()
      .get(`/api/auth/device/pending?user_code=${authorization.user_code}`)
      .set('authorization', `Bearer ${alice.token}`)
      .expect(200);
    expect(shown.body.client_id).toBe('oidc-test-client');
    await approve(t, alice.token, { user_code: authorization.user_code.toLowerCase() }).expect(200);

    const tokens = await client.pollDeviceAuthorizationGrant(config, authorization);
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.scope).toBe('me.read devices.read');
    expect(tokens.access_token).toMatch(/^pgc_/);

    const me = await fetch(`${baseUrl}/api/users/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      id: alice.user.id,
      token_kind: 'client',
      current_device_id: tokens.device_id,
    });
    const issued = (await auditEvents(t, 'device_flow.token_issued')).at(-1)!;
    expect(issued.details).toMatchObject({ client_id: 'oidc-test-client' });
  });

  it('pairs the reference device client (npm run device) end to end', async () => {
    const child = spawn(
      'node_modules/.bin/tsx',
      ['scripts/device-client.ts', '--server', baseUrl, '--scopes', 'me.read,devices.read'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 15_000;
    let code: string | undefined;
    while (!code && Date.now() < deadline) {
      code = /and enter\s+([A-Z]{4}-[A-Z]{4})/.exec(output)?.[1];
      if (!code) await new Promise((r) => setTimeout(r, 50));
    }
    expect(code, output).toBeDefined();
    expect(output).toContain(`${baseUrl}/pair/device`);
    expect(output).toContain('▄'); // the QR code, drawn with block characters
    await approve(t, alice.token, { user_code: code! }).expect(200);
    expect(await exited, output).toBe(0);
    expect(output).toContain(`signed in as ${alice.user.username}`);
    expect(output).toMatch(/pgc_[0-9A-Za-z]{38}/);
  }, 30_000);

  it('gives openid-client an access_denied error it understands', async () => {
    const config = await client.discovery(
      new URL(baseUrl),
      'oidc-denied',
      undefined,
      client.None(),
      { algorithm: 'oauth2', execute: [client.allowInsecureRequests] },
    );
    const authorization = await client.initiateDeviceAuthorization(config, { scope: 'me.read' });
    await t
      .http()
      .post('/api/auth/device/deny')
      .set('authorization', `Bearer ${alice.token}`)
      .send({ user_code: authorization.user_code })
      .expect(200);
    const failure = await client.pollDeviceAuthorizationGrant(config, authorization).then(
      () => null,
      (err: unknown) => err as { error?: string; status?: number },
    );
    expect(failure).toMatchObject({ error: 'access_denied', status: 400 });
  });
});
