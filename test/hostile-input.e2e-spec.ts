import { Writable } from 'node:stream';
import { RELAXED_LIMITS } from './support/device-flow.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('hostile input', () => {
  let t: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    t = await createTestApp(RELAXED_LIMITS, { logStream: stream });
  });
  afterAll(() => t?.close());

  // 1,500 nested arrays in 3 KB: class-transformer's recursion overflowed the stack on these.
  const nested = '['.repeat(1500) + ']'.repeat(1500);

  it.each([
    '/api/auth/login',
    '/api/setup',
    '/api/auth/device/init',
    '/api/client-tokens/exchange',
    '/api/auth/device/token',
  ])('refuses deeply nested JSON on %s with 400 in the error shape', async (path) => {
    lines.length = 0;
    const res = await t
      .http()
      .post(path)
      .set('content-type', 'application/json')
      .send(nested)
      .expect(400);
    if (path === '/api/auth/device/token') {
      expect(res.body).toEqual({
        error: 'invalid_request',
        error_description: 'The request body nests deeper than 32 levels',
      });
    } else {
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'bad_request',
        message: 'The request body nests deeper than 32 levels',
      });
    }
    expect(lines.join('\n')).not.toMatch(/call stack|"level":50/);
  });

  it('refuses deeply nested objects too, and accepts ordinary nesting', async () => {
    await t
      .http()
      .post('/api/auth/login')
      .set('content-type', 'application/json')
      .send('{"a":'.repeat(100) + '1' + '}'.repeat(100))
      .expect(400);
    const ordinary = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'nobody', password: 'wrong password' });
    expect(ordinary.status).toBe(401);
  });
});

describe('input and header hygiene', () => {
  let t: TestApp;
  let session: string;
  const lines: string[] = [];
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    t = await createTestApp(RELAXED_LIMITS, { logStream: stream });
    session = (await t.factory.session({ role: 'admin' })).token;
  });
  afterAll(() => t?.close());

  const bearer = { type: 'bearer' } as const;

  it.each([
    [
      '/api/auth/device/init',
      'client_name',
      { client_device_identifier: 'tv', scopes: ['me.read'] },
    ],
    [
      '/api/auth/device/init',
      'device_name',
      { client_device_identifier: 'tv', scopes: ['me.read'] },
    ],
    ['/api/auth/device/init', 'platform', { client_device_identifier: 'tv', scopes: ['me.read'] }],
    [
      '/api/auth/device/init',
      'client_version',
      { client_device_identifier: 'tv', scopes: ['me.read'] },
    ],
    ['/api/auth/device/init', 'client_device_identifier', { scopes: ['me.read'] }],
    ['/api/auth/login', 'username', { password: 'whatever password' }],
    ['/api/client-tokens', 'name', { scopes: ['me.read'] }],
    ['/api/long-lived-tokens', 'name', { expires_in_days: 1 }],
    ['/api/admin/oauth-clients', 'display_name', { allowed_scopes: ['me.read'] }],
  ])('refuses control characters in %s %s', async (path, field, rest) => {
    for (const bad of ['TV\u0000', 'TV\u001b[31m', 'TV\r\nfake: log line']) {
      const res = await t
        .http()
        .post(path)
        .auth(session, bearer)
        .send({ ...rest, [field]: bad })
        .expect(400);
      expect(res.body.error).toBe('validation_failed');
      expect(res.body.details).toContainEqual({
        field,
        problems: [`${field} must not contain control characters (such as NUL, ESC, CR or LF)`],
      });
    }
  });

  it('refuses control characters in the name given at approval', async () => {
    const init = await t
      .http()
      .post('/api/auth/device/init')
      .send({ client_device_identifier: 'tv', scopes: ['me.read'] })
      .expect(200);
    const res = await t
      .http()
      .post('/api/auth/device/approve')
      .auth(session, bearer)
      .send({ user_code: init.body.user_code, name: 'TV\u0007' })
      .expect(400);
    expect(res.body.details[0].field).toBe('name');
  });

  it('sends Cache-Control: no-store with every answer that carries a secret', async () => {
    const created = await t.factory.user();
    const answers = [
      await t
        .http()
        .post('/api/auth/login')
        .send({ username: created.user.username, password: created.password })
        .expect(200),
      await t
        .http()
        .post('/api/long-lived-tokens')
        .auth(session, bearer)
        .send({ name: 'kiosk', expires_in_days: 1 })
        .expect(201),
    ];
    const token = await t
      .http()
      .post('/api/client-tokens')
      .auth(session, bearer)
      .send({ name: 'script', scopes: ['me.read'] })
      .expect(201);
    answers.push(token);
    answers.push(
      await t
        .http()
        .post(`/api/client-tokens/${token.body.id}/rotate`)
        .auth(session, bearer)
        .expect(200),
    );
    const pair = await t
      .http()
      .post(`/api/client-tokens/${token.body.id}/pair`)
      .auth(session, bearer)
      .expect(200);
    answers.push(pair);
    answers.push(
      await t.http().post('/api/client-tokens/exchange').send({ code: pair.body.code }).expect(200),
    );
    answers.push(
      await t
        .http()
        .post('/api/auth/device/init')
        .send({ client_device_identifier: 'tv', scopes: ['me.read'] })
        .expect(200),
    );
    for (const res of answers) expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses two Authorization headers instead of using the first', async () => {
    const res = await t
      .http()
      .get('/api/users/me')
      .set('Authorization', [`Bearer ${session}`, 'Bearer pgs_other'] as unknown as string)
      .expect(400);
    expect(res.body.message).toBe('Send one Authorization header, not several');
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'token abc'])(
    'answers a malformed Authorization header (%s) with what it must look like',
    async (header) => {
      const res = await t.http().get('/api/users/me').set('Authorization', header).expect(401);
      expect(res.body.message).toBe('The Authorization header must be "Bearer <token>"');
    },
  );

  it('redacts secret query parameters from the log in any letter case', async () => {
    lines.length = 0;
    await t.http().get('/api/users/me?ACCESS_TOKEN=pgl_supersecretvalue').expect(401);
    await t.http().get('/api/auth/device/qr?User_Code=SECRETCODE').expect(400);
    const text = lines.join('\n');
    expect(text).not.toContain('supersecretvalue');
    expect(text).not.toContain('SECRETCODE');
    expect(text).toContain('ACCESS_TOKEN=[redacted]');
  });
});
