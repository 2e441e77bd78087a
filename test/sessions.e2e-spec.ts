import { auditEvents } from './support/device-flow.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const bearer = { type: 'bearer' } as const;

describe('login sessions: your own and, for admins, everyone', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  async function sessionId(token: string): Promise<string> {
    const me = await t.http().get('/api/users/me').auth(token, bearer).expect(200);
    return me.body.token_id as string;
  }
  const me = (token: string) => t.http().get('/api/users/me').auth(token, bearer);

  it('lists your live sessions, marks this one, and ends another at once', async () => {
    const alice = await t.factory.user();
    const laptop = await t.factory.login(alice);
    const phone = await t.factory.login(alice);
    const ended = await t.factory.login(alice);
    await t.http().post('/api/auth/logout').auth(ended, bearer).expect(204);

    const list = await t.http().get('/api/users/me/sessions').auth(laptop, bearer).expect(200);
    expect(list.body.next_cursor).toBeNull();
    // Newest first; two sign-ins in the same second (MariaDB keeps seconds) come in id order.
    const rows = list.body.items as Array<{ id: string; current: boolean; prefix: string }>;
    expect(rows).toHaveLength(2);
    expect(rows.map((s) => [s.id, s.current])).toEqual(
      expect.arrayContaining([
        [await sessionId(phone), false],
        [await sessionId(laptop), true],
      ]),
    );
    expect(rows.find((s) => !s.current)).toMatchObject({
      prefix: phone.slice(4, 12),
      last_used_ip: expect.stringMatching(/127\.0\.0\.1/),
      user_agent: null,
    });

    const phoneId = await sessionId(phone);
    await t.http().delete(`/api/users/me/sessions/${phoneId}`).auth(laptop, bearer).expect(204);
    await me(phone).expect(401);
    await me(laptop).expect(200);
    // Again: nothing changes and nothing more is recorded.
    await t.http().delete(`/api/users/me/sessions/${phoneId}`).auth(laptop, bearer).expect(204);
    const events = (await auditEvents(t, 'session.revoke')).filter((e) => e.target_id === phoneId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_user_id: alice.user.id, outcome: 'success' });
  });

  it('searches sessions by browser or address, yours and, for admins, everyone’s', async () => {
    const { user, password } = await t.factory.user();
    const signIn = async (agent: string) =>
      (
        await t
          .http()
          .post('/api/auth/login')
          .set('user-agent', agent)
          .send({ username: user.username, password })
          .expect(200)
      ).body.access_token as string;
    const firefox = await signIn('Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0');
    const cli = await signIn('pairgate-cli/2.0');
    const ids = (res: { body: { items: Array<{ id: string }> } }) =>
      res.body.items.map((s) => s.id);
    const mine = (q: string) =>
      t.http().get(`/api/users/me/sessions?q=${q}`).auth(firefox, bearer).expect(200);

    expect(ids(await mine('FIREFOX'))).toEqual([await sessionId(firefox)]);
    expect(ids(await mine('pairgate-cli'))).toEqual([await sessionId(cli)]);
    expect((await mine('127.0.0.1')).body.items).toHaveLength(2);
    expect((await mine('Safari')).body.items).toEqual([]);

    const admin = await t.factory.session({ role: 'admin' });
    const all = await t
      .http()
      .get(`/api/admin/sessions?q=pairgate-cli%2F2.0&user_id=${user.id}`)
      .auth(admin.token, bearer)
      .expect(200);
    expect(ids(all)).toEqual([await sessionId(cli)]);
    await t.http().get('/api/users/me/sessions?q=%00').auth(firefox, bearer).expect(400);
  });

  it("does not show or end someone else's session, and wants a login session to end one", async () => {
    const alice = await t.factory.session();
    const bob = await t.factory.session();
    const bobId = await sessionId(bob.token);
    const res = await t
      .http()
      .delete(`/api/users/me/sessions/${bobId}`)
      .auth(alice.token, bearer)
      .expect(404);
    expect(res.body.error).toBe('not_found');
    await me(bob.token).expect(200);
    const list = await t.http().get('/api/users/me/sessions').auth(alice.token, bearer).expect(200);
    expect(list.body.items).toHaveLength(1);

    const token = await t
      .http()
      .post('/api/client-tokens')
      .auth(alice.token, bearer)
      .send({ name: 'script', scopes: ['me.read', 'me.write'] })
      .expect(201);
    const refused = await t
      .http()
      .delete(`/api/users/me/sessions/${await sessionId(alice.token)}`)
      .auth(token.body.access_token as string, bearer)
      .expect(403);
    expect(refused.body.error).toBe('login_session_required');
  });

  it("lets an admin list everyone's live sessions with the owner and end any", async () => {
    const admin = await t.factory.session({ role: 'admin' });
    const carol = await t.factory.session({ username: 'carol' });
    const carolId = await sessionId(carol.token);
    const list = await t
      .http()
      .get('/api/admin/sessions')
      .query({ user_id: carol.user.id })
      .auth(admin.token, bearer)
      .expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id: carolId,
        user_id: carol.user.id,
        username: 'carol',
        current: false,
      }),
    ]);
    const everyone = await t
      .http()
      .get('/api/admin/sessions')
      .auth(admin.token, bearer)
      .expect(200);
    expect(everyone.body.items.map((s: { id: string }) => s.id)).toContain(carolId);

    await t.http().delete(`/api/admin/sessions/${carolId}`).auth(admin.token, bearer).expect(204);
    await me(carol.token).expect(401);
    expect(await auditEvents(t, 'session.admin_revoke')).toEqual([
      expect.objectContaining({ target_id: carolId, actor_user_id: admin.user.id }),
    ]);
    const after = await t
      .http()
      .get('/api/admin/sessions')
      .query({ user_id: carol.user.id })
      .auth(admin.token, bearer)
      .expect(200);
    expect(after.body.items).toEqual([]);

    await t.http().get('/api/admin/sessions').auth(carol.token, bearer).expect(401);
    const user = await t.factory.session();
    await t.http().get('/api/admin/sessions').auth(user.token, bearer).expect(403);
  });
});
