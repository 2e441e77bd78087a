import * as client from 'openid-client';
import { AuditEvent } from '../src/audit/audit-event.entity.js';
import { createToken } from './support/client-tokens.js';
import { approve, RELAXED_LIMITS } from './support/device-flow.js';
import { createServedTestApp, createTestApp, type TestApp } from './support/test-app.js';

describe('token revocation (RFC 7009)', () => {
  let t: TestApp;
  let baseUrl: string;
  let alice: { token: string; user: { id: string } };

  beforeAll(async () => {
    ({ t, baseUrl } = await createServedTestApp({
      ...RELAXED_LIMITS,
      DEVICE_POLL_INTERVAL_SECONDS: '1',
    }));
    alice = await t.factory.session();
  });
  afterAll(() => t?.close());

  async function paired(
    clientId: string,
    auth: client.ClientAuth = client.None(),
    secret?: string,
  ) {
    const config = await client.discovery(new URL(baseUrl), clientId, secret, auth, {
      algorithm: 'oauth2',
      execute: [client.allowInsecureRequests],
    });
    const authorization = await client.initiateDeviceAuthorization(config, { scope: 'me.read' });
    await approve(t, alice.token, { user_code: authorization.user_code }).expect(200);
    const tokens = await client.pollDeviceAuthorizationGrant(config, authorization);
    return { config, token: tokens.access_token };
  }

  const me = (token: string) => t.http().get('/api/users/me').auth(token, { type: 'bearer' });

  const revoke = (fields: Record<string, string>) =>
    t.http().post('/oauth/revoke').type('form').send(new URLSearchParams(fields).toString());

  it('is announced in the metadata, with its client authentication methods', async () => {
    const res = await t.http().get('/.well-known/oauth-authorization-server').expect(200);
    expect(res.body).toMatchObject({
      revocation_endpoint: `${baseUrl}/oauth/revoke`,
      revocation_endpoint_auth_methods_supported: [
        'none',
        'client_secret_basic',
        'client_secret_post',
      ],
    });
  });

  it('lets an unmodified openid-client give its token back, at once on the next request', async () => {
    const { config, token } = await paired('revoking-tv');
    await me(token).expect(200); // cached now
    await client.tokenRevocation(config, token);
    await me(token).expect(401);
    const [event] = await t.db.getRepository(AuditEvent).find({
      where: { action: 'client_token.revoke' },
      order: { id: 'DESC' },
      take: 1,
    });
    expect(JSON.parse(event.details!)).toMatchObject({
      via: 'oauth_revoke',
      client_id: 'revoking-tv',
    });
    // Revoking it again, or a token nobody issued, is still 200.
    await client.tokenRevocation(config, token);
    await revoke({ token: 'pgc_notatoken', client_id: 'revoking-tv' }).expect(200);
  });

  it("does not revoke another client's token or a personal access token, and says nothing", async () => {
    const other = await paired('other-tv');
    const pat = await createToken(t, alice.token);
    for (const token of [other.token, pat.raw, alice.token]) {
      const res = await revoke({ token, client_id: 'revoking-tv' }).expect(200);
      expect(res.text).toBe('');
    }
    await me(other.token).expect(200);
    await me(pat.raw).expect(200);
    await me(alice.token).expect(200);
  });

  it('wants client_id, and a confidential client authenticated', async () => {
    const missing = await revoke({ token: 'pgc_x' }).expect(400);
    expect(missing.body.error).toBe('invalid_request');
    const admin = await t.factory.session({ role: 'admin' });
    const created = await t
      .http()
      .post('/api/admin/oauth-clients')
      .auth(admin.token, { type: 'bearer' })
      .send({
        client_id: 'hub',
        display_name: 'Hub',
        allowed_scopes: ['me.read'],
        confidential: true,
      })
      .expect(201);
    const secret = created.body.client_secret as string;
    const { config, token } = await paired('hub', client.ClientSecretBasic(secret), secret);
    const refused = await revoke({ token, client_id: 'hub' }).expect(401);
    expect(refused.body.error).toBe('invalid_client');
    await me(token).expect(200);
    await client.tokenRevocation(config, token);
    await me(token).expect(401);
  });
});

describe('token revocation under load from one address', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ DEVICE_TOKEN_RATE_LIMIT_PER_IP: '2' });
  });
  afterAll(() => t?.close());

  it('is throttled per address like the token endpoint, in the OAuth shape', async () => {
    const revoke = () =>
      t.http().post('/oauth/revoke').type('form').send('token=pgc_x&client_id=tv');
    await revoke().expect(200);
    await revoke().expect(200);
    const limited = await revoke().expect(429);
    expect(limited.body.error).toBe('slow_down');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});
