import { LOOPBACK } from './support/test-app.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import {
  auditEvents,
  createToken,
  expectError,
  get,
  mintDeviceToken,
} from './support/client-tokens.js';

describe('client tokens: pairing by code', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The per-IP exchange limit (5/min) is tested in its own file; here many exchanges come
    // from one address on purpose.
    t = await createTestApp({ CLIENT_TOKEN_EXCHANGE_RATE_LIMIT_PER_IP: '1000' });
  });
  afterAll(() => t?.close());

  async function pair(session: string, id: string) {
    const res = await t
      .http()
      .post(`/api/client-tokens/${id}/pair`)
      .auth(session, { type: 'bearer' })
      .expect(200);
    return res.body as { code: string; expires_in: number };
  }

  const exchange = (code: unknown) => t.http().post('/api/client-tokens/exchange').send({ code });

  it('gives an 8-letter code valid 60 s that exchanges once for the rotated token', async () => {
    const { token: session, user } = await t.factory.session();
    const minted = await mintDeviceToken(t, user.id, { identifier: 'pair-tv' });
    await get(t, '/api/users/me', minted.raw).expect(200);
    const { code, expires_in } = await pair(session, minted.tokenId);
    expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(expires_in).toBe(60);

    // Any case, dash optional.
    const res = await exchange(code.replace('-', '').toLowerCase()).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({
      id: minted.tokenId,
      scopes: minted.scopes,
      device: { id: minted.deviceId },
      status: 'active',
    });
    expect(res.body.access_token).toMatch(/^pgc_/);
    expect(res.body.access_token).not.toBe(minted.raw);
    const me = await get(t, '/api/users/me', res.body.access_token).expect(200);
    expect(me.body).toMatchObject({ id: user.id, token_id: minted.tokenId });
    // The earlier secret is dead at once, and its reuse is recorded.
    await get(t, '/api/users/me', minted.raw).expect(401);
    expect(await auditEvents(t, 'client_token.reuse_after_rotation', minted.tokenId)).toHaveLength(
      1,
    );

    // Single use.
    expectError(await exchange(code), 400, 'invalid_pair_code');

    const [pairEvent] = await auditEvents(t, 'client_token.pair', minted.tokenId);
    const [exchangeEvent] = await auditEvents(t, 'client_token.exchange', minted.tokenId);
    expect(pairEvent).toMatchObject({ actorUserId: user.id, actorTokenKind: 'session' });
    expect(exchangeEvent).toMatchObject({ actorUserId: user.id, actorTokenKind: null });
    expect(exchangeEvent.ip).toMatch(LOOPBACK);
    for (const event of [pairEvent, exchangeEvent]) {
      expect(event.details).not.toContain(code.replace('-', ''));
      expect(event.details).not.toContain(res.body.access_token);
    }
  });

  it('answers the same 400 for a used, expired, replaced or unknown code', async () => {
    const { token: session } = await t.factory.session();
    const { id } = await createToken(t, session);

    const expired = await pair(session, id);
    t.clock.advanceSeconds(61);
    const expiredRes = await exchange(expired.code);

    const replaced = await pair(session, id);
    await pair(session, id); // a new code replaces the old one
    const replacedRes = await exchange(replaced.code);

    const unknownRes = await exchange('BCDF-GHJK');
    const malformedRes = await exchange('hello');

    const bodies = [expiredRes, replacedRes, unknownRes, malformedRes].map((res) => [
      res.status,
      res.body,
    ]);
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expectError(expiredRes, 400, 'invalid_pair_code');

    expectError(await exchange(12345678), 400, 'validation_failed');
  });

  it('refuses to pair or exchange for a revoked token', async () => {
    const { token: session } = await t.factory.session();
    const { id } = await createToken(t, session);
    const { code } = await pair(session, id);
    await t.http().delete(`/api/client-tokens/${id}`).auth(session, { type: 'bearer' }).expect(204);
    expectError(await exchange(code), 400, 'invalid_pair_code');
    const res = await t
      .http()
      .post(`/api/client-tokens/${id}/pair`)
      .auth(session, { type: 'bearer' });
    expectError(res, 409, 'token_not_active');
  });

  it("refuses to exchange a disabled user's code", async () => {
    const admin = await t.factory.session({ role: 'admin' });
    const { token: session, user } = await t.factory.session();
    const { id } = await createToken(t, session);
    const { code } = await pair(session, id);
    await t
      .http()
      .patch(`/api/admin/users/${user.id}`)
      .auth(admin.token, { type: 'bearer' })
      .send({ disabled: true })
      .expect(200);
    expectError(await exchange(code), 400, 'invalid_pair_code');
  });

  it('needs a login session to ask for a code', async () => {
    const { token: session } = await t.factory.session();
    const { raw, id } = await createToken(t, session, { scopes: ['tokens.write'] });
    const res = await t.http().post(`/api/client-tokens/${id}/pair`).auth(raw, { type: 'bearer' });
    expectError(res, 403, 'login_session_required');
  });

  it('yields exactly one token from 20 concurrent exchanges of one code', async () => {
    const { token: session } = await t.factory.session();
    const { id, raw } = await createToken(t, session);
    const { code } = await pair(session, id);
    const results = await Promise.all(Array.from({ length: 20 }, () => exchange(code)));
    const statuses = results.map((r) => r.status).sort((a, b) => a - b);
    expect(statuses).toEqual([200, ...Array<number>(19).fill(400)]);
    const winner = results.find((r) => r.status === 200)!;
    await get(t, '/api/users/me', winner.body.access_token).expect(200);
    await get(t, '/api/users/me', raw).expect(401);
    expect(await auditEvents(t, 'client_token.exchange', id)).toHaveLength(1);
    const retired = await t.db.query(
      'SELECT COUNT(*) AS n FROM client_token_retired_secrets WHERE token_id = ?',
      [id],
    );
    expect(Number(retired[0].n)).toBe(1);
  });
});

describe('client tokens: exchange rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('allows 5 exchanges a minute per IP, then 429 with Retry-After', async () => {
    for (let i = 0; i < 5; i++) {
      await t.http().post('/api/client-tokens/exchange').send({ code: 'BCDFGHJK' }).expect(400);
    }
    const res = await t.http().post('/api/client-tokens/exchange').send({ code: 'BCDFGHJK' });
    expectError(res, 429, 'too_many_requests');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});
