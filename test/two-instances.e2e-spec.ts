import { randomBytes } from 'node:crypto';
import { redisAnswers, TEST_REDIS_URL as REDIS_URL } from './support/redis.js';
import { createTestApp, type TestApp } from './support/test-app.js';

// Two instances of the service over one database and one Redis behave as one. CI starts
// Redis; without it this file is skipped and says so.
describe.runIf(await redisAnswers())('two instances sharing a database and Redis', () => {
  let a: TestApp;
  let b: TestApp;
  const env = { REDIS_URL, LOGIN_RATE_LIMIT_PER_USERNAME: '3', LOGIN_RATE_LIMIT_PER_IP: '100000' };
  beforeAll(async () => {
    a = await createTestApp(env);
    b = await createTestApp(env, { database: a.database });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  async function eventually(check: () => Promise<boolean>, ms = 2000): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (await check()) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  it('a logout on one instance is refused by the other, which had the principal cached', async () => {
    const created = await a.factory.user();
    const token = await a.factory.login(created);
    await b.http().get('/api/users/me').auth(token, { type: 'bearer' }).expect(200); // cached on b
    await a.http().post('/api/auth/logout').auth(token, { type: 'bearer' }).expect(204);
    const seen: unknown[] = [];
    const refused = await eventually(async () => {
      const r = await b.http().get('/api/users/me').auth(token, { type: 'bearer' });
      seen.push(r.status);
      return r.status === 401;
    });
    const rows = refused
      ? []
      : await b.db.query('SELECT revoked_at FROM sessions WHERE user_id = ?', [created.user.id]);
    expect(
      refused,
      `b answered ${seen.length} times: ${seen.join(',')}; row ${JSON.stringify(rows)}`,
    ).toBe(true);
  });

  it('a disabled user is refused by the other instance too', async () => {
    const admin = await a.factory.session({ role: 'admin' });
    const { user, token } = await a.factory.session();
    await b.http().get('/api/users/me').auth(token, { type: 'bearer' }).expect(200);
    await a
      .http()
      .patch(`/api/admin/users/${user.id}`)
      .auth(admin.token, { type: 'bearer' })
      .send({ disabled: true })
      .expect(200);
    expect(
      await eventually(
        async () =>
          (await b.http().get('/api/users/me').auth(token, { type: 'bearer' })).status === 401,
      ),
    ).toBe(true);
  });

  it('counts login attempts in one window across both instances', async () => {
    const username = `ghost-${randomBytes(4).toString('hex')}`;
    await a
      .http()
      .post('/api/auth/login')
      .send({ username, password: 'wrong-password' })
      .expect(401);
    await b
      .http()
      .post('/api/auth/login')
      .send({ username, password: 'wrong-password' })
      .expect(401);
    await a
      .http()
      .post('/api/auth/login')
      .send({ username, password: 'wrong-password' })
      .expect(401);
    const res = await b
      .http()
      .post('/api/auth/login')
      .send({ username, password: 'wrong-password' })
      .expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});
