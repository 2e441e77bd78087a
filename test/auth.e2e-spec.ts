import { AuditEvent } from '../src/audit/audit-event.entity.js';
import { Session } from '../src/users/session.entity.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('login and logout', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      LOGIN_RATE_LIMIT_PER_USERNAME: '5',
      LOGIN_RATE_LIMIT_PER_IP: '1000',
    });
  });
  afterAll(() => t?.close());

  it('returns a pgs_ session token once, with its lifetime and the user', async () => {
    const { user, password } = await t.factory.user({ email: 'ann@example.com' });
    const res = await t
      .http()
      .post('/api/auth/login')
      .send({ username: user.username, password })
      .expect(200);
    expect(res.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 7 * 24 * 3600,
      user: {
        id: user.id,
        username: user.username,
        email: 'ann@example.com',
        role: 'user',
        disabled_at: null,
      },
    });
    expect(res.body.access_token).toMatch(/^pgs_[0-9A-Za-z]{38}$/);
    expect(res.body.user.password_hash).toBeUndefined();
    // Stored hashed, never raw.
    const stored = await t.db.getRepository(Session).findOneByOrFail({ userId: user.id });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.tokenHash).not.toContain(res.body.access_token);
    expect(res.body.access_token.slice(4, 12)).toBe(stored.prefix);
  });

  it('accepts the username in any case', async () => {
    const { user, password } = await t.factory.user();
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: user.username.toUpperCase(), password })
      .expect(200);
  });

  it('gives a wrong username and a wrong password the same answer', async () => {
    const { user } = await t.factory.user();
    const wrongPassword = await t
      .http()
      .post('/api/auth/login')
      .send({ username: user.username, password: 'nope-nope' });
    const wrongUser = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'nobody-here', password: 'nope-nope' });
    expect(wrongPassword.status).toBe(401);
    expect(wrongUser.status).toBe(401);
    expect(wrongUser.body).toEqual(wrongPassword.body);
    expect(wrongPassword.body).toEqual({
      statusCode: 401,
      error: 'invalid_credentials',
      message: 'Wrong username or password',
    });
  });

  it('takes about the same time for a wrong username as for a wrong password', async () => {
    const { user } = await t.factory.user();
    const time = async (username: string) => {
      const started = performance.now();
      await t
        .http()
        .post('/api/auth/login')
        .send({ username, password: 'wrong-password' })
        .expect(401);
      return performance.now() - started;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const unknown: number[] = [];
    const known: number[] = [];
    for (let i = 0; i < 4; i++) {
      unknown.push(await time(`ghost-${i}`));
      known.push(await time(user.username));
    }
    // Both verify an argon2id hash; without the dummy hash the unknown user would be ~10x faster.
    const ratio = median(unknown) / median(known);
    expect(ratio).toBeGreaterThan(0.4);
    expect(ratio).toBeLessThan(2.5);
  });

  it('refuses a disabled user with the same answer', async () => {
    const { user, password } = await t.factory.user({ disabled: true });
    const res = await t
      .http()
      .post('/api/auth/login')
      .send({ username: user.username, password })
      .expect(401);
    expect(res.body.error).toBe('invalid_credentials');
  });

  it('throttles per username with 429 and Retry-After, even for the right password', async () => {
    const { user, password } = await t.factory.user();
    for (let i = 0; i < 5; i++) {
      await t
        .http()
        .post('/api/auth/login')
        .send({ username: user.username, password: 'wrong-password' })
        .expect(401);
    }
    const res = await t
      .http()
      .post('/api/auth/login')
      .send({ username: user.username, password })
      .expect(429);
    expect(res.body.error).toBe('too_many_requests');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    // Another username from the same address is not affected.
    const other = await t.factory.user();
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: other.user.username, password: other.password })
      .expect(200);
  });

  it('rejects malformed login bodies with field details', async () => {
    const res = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'x', extra: true })
      .expect(400);
    expect(res.body.error).toBe('validation_failed');
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['password', 'extra']),
    );
  });

  it('logout revokes that session and only that one', async () => {
    const created = await t.factory.user();
    const a = await t.factory.login(created);
    const b = await t.factory.login(created);
    await t.http().get('/api/users/me').auth(a, { type: 'bearer' }).expect(200);
    await t.http().post('/api/auth/logout').auth(a, { type: 'bearer' }).expect(204);
    const refused = await t.http().get('/api/users/me').auth(a, { type: 'bearer' }).expect(401);
    expect(refused.body.error).toBe('invalid_token');
    expect(refused.headers['www-authenticate']).toContain('Bearer');
    await t.http().get('/api/users/me').auth(b, { type: 'bearer' }).expect(200);
  });

  it('records login success, failure and logout in the audit log, never the password', async () => {
    const { user, password } = await t.factory.user();
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: user.username, password: 'bad-password' })
      .expect(401);
    const token = (
      await t.http().post('/api/auth/login').send({ username: user.username, password }).expect(200)
    ).body.access_token as string;
    await t.http().post('/api/auth/logout').auth(token, { type: 'bearer' }).expect(204);
    const events = await t.db
      .getRepository(AuditEvent)
      .find({ where: { actorUserId: user.id }, order: { id: 'ASC' } });
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ['auth.login', 'failure'],
      ['auth.login', 'success'],
      ['auth.logout', 'success'],
    ]);
    expect(events[0].details).toContain('wrong_password');
    const all = JSON.stringify(await t.db.getRepository(AuditEvent).find());
    expect(all).not.toContain(password);
    expect(all).not.toContain(token);
  });
});

describe('login throttling per IP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      LOGIN_RATE_LIMIT_PER_IP: '3',
      LOGIN_RATE_LIMIT_PER_USERNAME: '1000',
    });
  });
  afterAll(() => t?.close());

  it('answers 429 once one address tries too many usernames', async () => {
    for (let i = 0; i < 3; i++) {
      await t
        .http()
        .post('/api/auth/login')
        .send({ username: `guess-${i}`, password: 'x-password' })
        .expect(401);
    }
    const res = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'guess-9', password: 'x-password' })
      .expect(429);
    expect(res.headers['retry-after']).toBeDefined();
  });
});
