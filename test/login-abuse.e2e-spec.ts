import { createTestApp, type TestApp } from './support/test-app.js';

describe('login guessing without locking the owner out', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      TRUST_PROXY: 'true',
      LOGIN_RATE_LIMIT_PER_USERNAME: '3',
      LOGIN_RATE_LIMIT_PER_IP: '1000',
    });
  });
  afterAll(() => t?.close());

  const login = (from: string, username: string, password: string) =>
    t.http().post('/api/auth/login').set('X-Forwarded-For', from).send({ username, password });

  it('stops the guessing address but lets the owner in from a clean one', async () => {
    const { user, password } = await t.factory.user();
    for (let i = 0; i < 3; i++) await login('198.51.100.7', user.username, 'guess').expect(401);
    // The guesser is stopped for this username, even with the right password...
    await login('198.51.100.7', user.username, password).expect(429);
    // ...while the owner, from an address that never failed, signs in.
    await login('203.0.113.20', user.username, password).expect(200);
  });

  it('records one audit event per limit, source and window, however many requests it refuses', async () => {
    const { user } = await t.factory.user();
    for (let i = 0; i < 3; i++) await login('198.51.100.77', user.username, 'guess').expect(401);
    for (let i = 0; i < 10; i++) await login('198.51.100.77', user.username, 'guess').expect(429);
    const rows: Array<{ ip: string | null; outcome: string; details: string }> = await t.db.query(
      "SELECT ip, outcome, details FROM audit_events WHERE action = 'rate_limit.exceeded'",
    );
    const mine = rows.filter((row) => row.details.includes(user.username));
    expect(mine).toHaveLength(1);
    expect(mine[0].outcome).toBe('denied');
    expect(JSON.parse(mine[0].details)).toMatchObject({
      limit: 'login.failures.username_ip',
      max: 3,
    });
  });

  it('gives each fresh address one try while a username is under attack', async () => {
    const { user, password } = await t.factory.user();
    for (let i = 0; i < 3; i++) await login('198.51.100.8', user.username, 'guess').expect(401);
    // A second attacking address: its first guess is heard, its second is not.
    await login('198.51.100.9', user.username, 'guess').expect(401);
    const refused = await login('198.51.100.9', user.username, password).expect(429);
    expect(refused.body.error).toBe('too_many_requests');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await login('203.0.113.21', user.username, password).expect(200);
  });

  it('does not count successes as failures', async () => {
    const { user, password } = await t.factory.user();
    for (let i = 0; i < 6; i++) await login('203.0.113.22', user.username, password).expect(200);
  });
});

describe('password change guessing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      LOGIN_RATE_LIMIT_PER_USERNAME: '3',
      LOGIN_RATE_LIMIT_PER_IP: '1000',
    });
  });
  afterAll(() => t?.close());

  it('counts wrong current passwords like failed logins and answers 429', async () => {
    const { token, password } = await t.factory.session();
    const change = (current: string) =>
      t
        .http()
        .patch('/api/users/me/password')
        .auth(token, { type: 'bearer' })
        .send({ current_password: current, new_password: 'a brand new password' });
    for (let i = 0; i < 3; i++) {
      const wrong = await change(`guess-${i}-password`).expect(400);
      expect(wrong.body.error).toBe('invalid_credentials');
    }
    const limited = await change(password).expect(429);
    expect(limited.body.error).toBe('too_many_requests');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});
