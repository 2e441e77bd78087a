import { createToken } from './support/client-tokens.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const ALL_USER_SCOPES = [
  'me.read',
  'me.write',
  'tokens.read',
  'tokens.write',
  'devices.read',
  'devices.write',
];

describe('routes that create or widen a credential need a login session', () => {
  let t: TestApp;
  let admin: { token: string; user: { id: string } };
  let adminToken: string;
  let userToken: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.factory.session({ role: 'admin' });
    adminToken = (await createToken(t, admin.token, { scopes: [...ALL_USER_SCOPES, 'admin'] })).raw;
    const user = await t.factory.session();
    userToken = (await createToken(t, user.token, { scopes: ALL_USER_SCOPES })).raw;
  });
  afterAll(() => t?.close());

  const call = (method: 'post' | 'patch', path: string, token: string, body: object = {}) =>
    t.http()[method](path).auth(token, { type: 'bearer' }).send(body);

  it.each([
    ['post', '/api/client-tokens', { name: 'child', scopes: ['me.read'] }],
    ['post', '/api/long-lived-tokens', { name: 'child', expires_in_days: 1 }],
    ['patch', '/api/users/me/password', { current_password: 'x', new_password: 'a new password' }],
    ['post', '/api/auth/logout', {}],
    ['post', '/api/auth/device/approve', { user_code: 'BCDF-GHJK' }],
    ['post', '/api/auth/device/deny', { user_code: 'BCDF-GHJK' }],
  ] as const)('%s %s refuses a client token holding every scope', async (method, path, body) => {
    const res = await call(method, path, userToken, body).expect(403);
    expect(res.body).toEqual({
      statusCode: 403,
      error: 'login_session_required',
      message:
        'This needs a login session: a client or long-lived token cannot create or widen credentials',
    });
  });

  it('lets an admin token disable users but not create them or make admins', async () => {
    const target = await t.factory.user();
    const created = await call('post', '/api/admin/users', adminToken, {
      username: 'made-by-token',
      password: 'a long password',
    }).expect(403);
    expect(created.body.error).toBe('login_session_required');
    const promoted = await call('patch', `/api/admin/users/${target.user.id}`, adminToken, {
      role: 'admin',
    }).expect(403);
    expect(promoted.body).toMatchObject({
      error: 'login_session_required',
      message:
        'This needs a login session: a client or long-lived token cannot make someone an admin',
    });
    await call('patch', `/api/admin/users/${target.user.id}`, adminToken, {
      disabled: true,
    }).expect(200);
    // An OAuth client may get a secret: registering one or giving it a new secret needs a session.
    const client = await call('post', '/api/admin/oauth-clients', adminToken, {
      display_name: 'By token',
      allowed_scopes: ['me.read'],
      confidential: true,
    }).expect(403);
    expect(client.body.error).toBe('login_session_required');
    await call('post', '/api/admin/oauth-clients', admin.token, {
      client_id: 'by-session',
      display_name: 'By session',
      allowed_scopes: ['me.read'],
    }).expect(201);
    const secret = await call('post', '/api/admin/oauth-clients/by-session/secret', adminToken);
    expect(secret.status).toBe(403);
    expect(secret.body.error).toBe('login_session_required');
    // The admin, signed in, may do both.
    await call('patch', `/api/admin/users/${target.user.id}`, admin.token, {
      role: 'admin',
    }).expect(200);
  });

  it('says so in the API document', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { description?: string; 'x-session-only'?: boolean }>>;
    };
    for (const [path, method] of [
      ['/api/auth/device/approve', 'post'],
      ['/api/auth/device/deny', 'post'],
      ['/api/client-tokens', 'post'],
      ['/api/client-tokens/{id}/pair', 'post'],
      ['/api/long-lived-tokens', 'post'],
      ['/api/admin/users', 'post'],
      ['/api/admin/oauth-clients', 'post'],
      ['/api/admin/oauth-clients/{client_id}/secret', 'post'],
    ]) {
      const operation = doc.paths[path][method];
      expect(operation['x-session-only']).toBe(true);
      expect(operation.description).toContain('Needs a login session');
    }
    expect(doc.paths['/api/client-tokens'].get['x-session-only']).toBeUndefined();
  });
});
