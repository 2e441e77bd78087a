import { AuditEvent } from '../src/audit/audit-event.entity.js';
import { User } from '../src/users/user.entity.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('/api/users/me', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('describes the caller, the token and its effective scopes', async () => {
    const { user, token } = await t.factory.session({ email: 'bo@example.com' });
    const res = await t.http().get('/api/users/me').auth(token, { type: 'bearer' }).expect(200);
    expect(res.body).toEqual({
      id: user.id,
      username: user.username,
      email: 'bo@example.com',
      role: 'user',
      scopes: expect.arrayContaining([
        'devices.read',
        'devices.write',
        'me.read',
        'me.write',
        'tokens.read',
        'tokens.write',
      ]),
      token_kind: 'session',
      token_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      current_device_id: null,
    });
    expect(res.body.scopes).not.toContain('admin');
  });

  it("gives an admin's session the admin scope", async () => {
    const { token } = await t.factory.session({ role: 'admin' });
    const res = await t.http().get('/api/users/me').auth(token, { type: 'bearer' }).expect(200);
    expect(res.body.scopes).toContain('admin');
    expect(res.body.role).toBe('admin');
  });

  it('changes the password, signs out the other sessions and keeps this one', async () => {
    const created = await t.factory.user();
    const current = await t.factory.login(created);
    const other = await t.factory.login(created);
    await t
      .http()
      .patch('/api/users/me/password')
      .auth(current, { type: 'bearer' })
      .send({ current_password: created.password, new_password: 'a-brand-new-password' })
      .expect(204);
    await t.http().get('/api/users/me').auth(current, { type: 'bearer' }).expect(200);
    await t.http().get('/api/users/me').auth(other, { type: 'bearer' }).expect(401);
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: created.user.username, password: created.password })
      .expect(401);
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: created.user.username, password: 'a-brand-new-password' })
      .expect(200);
    const events = await t.db
      .getRepository(AuditEvent)
      .findBy({ action: 'user.password_change', actorUserId: created.user.id });
    expect(events).toHaveLength(1);
    expect(events[0].details).toContain('"other_sessions_revoked":1');
  });

  it('refuses a wrong current password with 400 and changes nothing', async () => {
    const created = await t.factory.user();
    const token = await t.factory.login(created);
    const before = await t.db.getRepository(User).findOneByOrFail({ id: created.user.id });
    const res = await t
      .http()
      .patch('/api/users/me/password')
      .auth(token, { type: 'bearer' })
      .send({ current_password: 'not-it-at-all', new_password: 'a-brand-new-password' })
      .expect(400);
    expect(res.body.error).toBe('invalid_credentials');
    const after = await t.db.getRepository(User).findOneByOrFail({ id: created.user.id });
    expect(after.passwordHash).toBe(before.passwordHash);
  });

  it('refuses a too-short new password with a field message', async () => {
    const created = await t.factory.user();
    const token = await t.factory.login(created);
    const res = await t
      .http()
      .patch('/api/users/me/password')
      .auth(token, { type: 'bearer' })
      .send({ current_password: created.password, new_password: 'short' })
      .expect(400);
    expect(res.body).toMatchObject({
      error: 'validation_failed',
      details: [{ field: 'new_password', problems: ['new_password must be 8-256 characters'] }],
    });
  });

  it('records the debounced last use of a session at most once a minute', async () => {
    const { token } = await t.factory.session();
    const me = (await t.http().get('/api/users/me').auth(token, { type: 'bearer' }).expect(200))
      .body;
    const lastUsed = async () => {
      await t.flushActivity();
      const rows = await t.db.query(`SELECT last_used_at FROM sessions WHERE id = ?`, [
        me.token_id,
      ]);
      return new Date(
        rows[0].last_used_at + (typeof rows[0].last_used_at === 'string' ? 'Z' : ''),
      ).getTime();
    };
    const first = await lastUsed();
    t.clock.advanceSeconds(30);
    await t.http().get('/api/users/me').auth(token, { type: 'bearer' }).expect(200);
    expect(await lastUsed()).toBe(first);
    t.clock.advanceSeconds(31);
    await t.http().get('/api/users/me').auth(token, { type: 'bearer' }).expect(200);
    expect(await lastUsed()).toBeGreaterThan(first);
  });
});
