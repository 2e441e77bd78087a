import { AuditEvent } from '../src/audit/audit-event.entity.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('/api/admin/users', () => {
  let t: TestApp;
  let admin: { token: string; user: { id: string } };
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.factory.session({ role: 'admin' });
  });
  afterAll(() => t?.close());

  const as = (token: string) => ({ type: 'bearer' as const, token });
  const authed = (method: 'get' | 'post' | 'patch', path: string, token = admin.token) =>
    t.http()[method](path).auth(as(token).token, { type: 'bearer' });

  it('creates a user who can sign in, and refuses a taken username with 409', async () => {
    const res = await authed('post', '/api/admin/users')
      .send({ username: 'Carol', password: 'carol-password', email: 'carol@example.com' })
      .expect(201);
    expect(res.body).toMatchObject({
      username: 'carol',
      role: 'user',
      email: 'carol@example.com',
      disabled_at: null,
    });
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'carol', password: 'carol-password' })
      .expect(200);
    const dup = await authed('post', '/api/admin/users')
      .send({ username: 'CAROL', password: 'another-password' })
      .expect(409);
    expect(dup.body).toMatchObject({ error: 'conflict', message: 'The username "carol" is taken' });
  });

  it('validates new users field by field', async () => {
    const res = await authed('post', '/api/admin/users')
      .send({ username: 'a b', password: 'x', role: 'root', email: 'nope' })
      .expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'email',
      'password',
      'role',
      'username',
    ]);
  });

  it('lists users newest first with keyset pagination and filters', async () => {
    for (let i = 0; i < 5; i++) await t.factory.user({ username: `page-user-${i}` });
    const first = await authed('get', '/api/admin/users?limit=2&q=page-user').expect(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const seen = [...first.body.items];
    let cursor = first.body.next_cursor as string | null;
    while (cursor) {
      const page = await authed(
        'get',
        `/api/admin/users?limit=2&q=page-user&cursor=${cursor}`,
      ).expect(200);
      seen.push(...page.body.items);
      cursor = page.body.next_cursor;
    }
    expect(seen.map((u: { username: string }) => u.username).sort()).toEqual(
      [0, 1, 2, 3, 4].map((i) => `page-user-${i}`),
    );
    expect(new Set(seen.map((u: { id: string }) => u.id)).size).toBe(5);
    const admins = await authed('get', '/api/admin/users?role=admin').expect(200);
    expect(admins.body.items.every((u: { role: string }) => u.role === 'admin')).toBe(true);
    await authed('get', '/api/admin/users?cursor=garbage').expect(400);
    // LIKE wildcards in q are matched literally.
    await t.factory.user({ username: 'under_score' });
    await t.factory.user({ username: 'underxscore' });
    const literal = await authed('get', '/api/admin/users?q=under_s').expect(200);
    expect(literal.body.items.map((u: { username: string }) => u.username)).toEqual([
      'under_score',
    ]);
    const percent = await authed('get', '/api/admin/users?q=%25').expect(200);
    expect(percent.body.items).toEqual([]);
    await authed('get', '/api/admin/users?limit=1000').expect(400);
  });

  it('answers 404 for an unknown user and 400 for an id that is not a UUID', async () => {
    await authed('get', '/api/admin/users/00000000-0000-4000-8000-000000000000').expect(404);
    const res = await authed('patch', '/api/admin/users/42').send({ role: 'admin' }).expect(400);
    expect(res.body.error).toBe('validation_failed');
  });

  it('disables and re-enables a user; their tokens fail while disabled', async () => {
    const { user, token, password } = await t.factory.session();
    await authed('patch', `/api/admin/users/${user.id}`).send({ disabled: true }).expect(200);
    await t.http().get('/api/users/me').auth(token, { type: 'bearer' }).expect(401);
    await t.http().post('/api/auth/login').send({ username: user.username, password }).expect(401);
    const res = await authed('patch', `/api/admin/users/${user.id}`)
      .send({ disabled: false })
      .expect(200);
    expect(res.body.disabled_at).toBeNull();
    await t.http().post('/api/auth/login').send({ username: user.username, password }).expect(200);
  });

  it('refuses to let an admin disable or demote themselves', async () => {
    await authed('patch', `/api/admin/users/${admin.user.id}`).send({ disabled: true }).expect(403);
    await authed('patch', `/api/admin/users/${admin.user.id}`).send({ role: 'user' }).expect(403);
    await authed('patch', `/api/admin/users/${admin.user.id}`).send({}).expect(400);
  });

  it('revokes every session of a user at once', async () => {
    const created = await t.factory.user();
    const a = await t.factory.login(created);
    const b = await t.factory.login(created);
    const res = await authed('post', `/api/admin/users/${created.user.id}/revoke-tokens`).expect(
      200,
    );
    expect(res.body.revoked).toBeGreaterThanOrEqual(2);
    await t.http().get('/api/users/me').auth(a, { type: 'bearer' }).expect(401);
    await t.http().get('/api/users/me').auth(b, { type: 'bearer' }).expect(401);
  });

  it('is for admins only', async () => {
    const { token } = await t.factory.session();
    await authed('get', '/api/admin/users', token).expect(403);
    await authed('post', '/api/admin/users', token)
      .send({ username: 'mallory', password: 'mallory-pass' })
      .expect(403);
  });

  it('records user creation and changes in the audit log with the admin as actor', async () => {
    const res = await authed('post', '/api/admin/users')
      .send({ username: 'audited', password: 'audited-pass' })
      .expect(201);
    await authed('patch', `/api/admin/users/${res.body.id}`).send({ role: 'admin' }).expect(200);
    await authed('patch', `/api/admin/users/${res.body.id}`).send({ disabled: true }).expect(200);
    const events = await t.db
      .getRepository(AuditEvent)
      .find({ where: { targetType: 'user', targetId: res.body.id }, order: { id: 'ASC' } });
    expect(events.map((e) => e.action)).toEqual(['user.create', 'user.update', 'user.disable']);
    expect(
      events.every((e) => e.actorUserId === admin.user.id && e.actorTokenKind === 'session'),
    ).toBe(true);
    expect(events[1].details).toContain('"to":"admin"');
    expect(JSON.stringify(events)).not.toContain('audited-pass');
  });
});
