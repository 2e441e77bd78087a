import { createToken } from './support/client-tokens.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('leaked-token reports', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TOKEN_LEAK_RATE_LIMIT_PER_IP: '5' });
  });
  afterAll(() => t?.close());

  const report = (tokens: string[], url?: string) =>
    t
      .http()
      .post('/api/token-leaks')
      .send({ tokens, ...(url ? { url } : {}) });
  const me = (token: string) => t.http().get('/api/users/me').auth(token, { type: 'bearer' });

  it('answers a live, a revoked and a made-up token identically, and revokes only the live one', async () => {
    const owner = await t.factory.session();
    const live = await createToken(t, owner.token, { name: 'pushed to github' });
    const dead = await createToken(t, owner.token, { name: 'already revoked' });
    await t
      .http()
      .delete(`/api/client-tokens/${dead.id}`)
      .auth(owner.token, { type: 'bearer' })
      .expect(204);
    const madeUp = `${live.raw.slice(0, 10)}${'A'.repeat(live.raw.length - 10)}`;
    await me(live.raw).expect(200); // cached now

    const answers = await Promise.all(
      [[live.raw], [dead.raw], [madeUp], ['not a token at all']].map(async (tokens) => {
        const res = await report(tokens, 'https://github.com/someone/repo/commit/abc123');
        return { status: res.status, body: res.body as unknown };
      }),
    );
    for (const answer of answers) expect(answer).toEqual({ status: 202, body: { received: 1 } });

    await me(live.raw).expect(401);
    await me(owner.token).expect(200);
    const log = await t
      .http()
      .get('/api/users/me/security-log')
      .auth(owner.token, { type: 'bearer' })
      .expect(200);
    const leak = (
      log.body.items as Array<{ action: string; details: Record<string, unknown> }>
    ).filter((e) => e.action === 'token.leak_revoked');
    expect(leak).toHaveLength(1);
    expect(leak[0].details).toEqual({
      token_kind: 'client',
      token_id: live.id,
      found_at: 'https://github.com/someone/repo/commit/abc123',
    });
  });

  it('revokes sessions and long-lived tokens too', async () => {
    const owner = await t.factory.session();
    const other = await t.factory.session();
    const longLived = await t
      .http()
      .post('/api/long-lived-tokens')
      .auth(owner.token, { type: 'bearer' })
      .send({ name: 'kiosk', expires_in_days: 7 })
      .expect(201);
    await report([other.token, longLived.body.access_token as string]).expect(202);
    await me(other.token).expect(401);
    await t
      .http()
      .get('/api/cameras')
      .auth(longLived.body.access_token as string, { type: 'bearer' })
      .expect(401);
  });

  it('refuses bad reports with a reason, and throttles per address', async () => {
    const empty = await report([]).expect(400);
    expect(empty.body.error).toBe('validation_failed');
    await report(Array.from({ length: 101 }, () => 'x')).expect(400);
    await report(['x'], 'not a url').expect(400);
    let limited = 0;
    for (let i = 0; i < 8; i++) if ((await report(['x'])).status === 429) limited++;
    expect(limited).toBeGreaterThan(0);
  });
});
