import { ClientToken } from '../src/client-tokens/client-token.entity.js';
import { approve, auditEvents, initDevice, poll, RELAXED_LIMITS } from './support/device-flow.js';
import { redisAnswers, TEST_REDIS_URL as REDIS_URL } from './support/redis.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const me = (t: TestApp, token: string) =>
  t.http().get('/api/users/me').auth(token, { type: 'bearer' });

async function pair(t: TestApp, session: string, identifier: string, approver = t) {
  const body = await initDevice(t, { client_device_identifier: identifier });
  await approve(approver, session, { user_code: body.user_code }).expect(200);
  const res = await poll(t, body.device_code).expect(200);
  return { token: res.body.access_token as string, deviceId: res.body.device_id as string };
}

describe('device flow rules from the outside review', () => {
  let t: TestApp;
  let alice: { token: string; user: { id: string } };
  beforeAll(async () => {
    t = await createTestApp(RELAXED_LIMITS);
    alice = await t.factory.session();
  });
  afterAll(() => t?.close());

  /** The clock's time cut to whole seconds, as the service stores expiries. */
  const wholeSecondNow = () => Math.floor(t.clock.nowMs() / 1000) * 1000;

  it('keeps one live token per device: pairing it again revokes the earlier token', async () => {
    const first = await pair(t, alice.token, 'living-room-tv');
    await me(t, first.token).expect(200);
    const second = await pair(t, alice.token, 'living-room-tv');
    expect(second.deviceId).toBe(first.deviceId);

    await me(t, first.token).expect(401);
    await me(t, second.token).expect(200);
    const device = await t
      .http()
      .get(`/api/devices/${first.deviceId}`)
      .auth(alice.token, { type: 'bearer' })
      .expect(200);
    expect(device.body.active_tokens).toBe(1);

    const [event] = (await auditEvents(t, 'device.tokens_superseded')).filter(
      (e) => e.target_id === first.deviceId,
    );
    const ids = (await auditEvents(t, 'device_flow.token_issued'))
      .filter((e) => e.details!.device_id === first.deviceId)
      .map((e) => e.details!.token_id);
    expect(event.details).toMatchObject({
      revoked_token_ids: [ids[0]],
      replaced_by_token_id: ids[1],
    });
  });

  it('tells the truth about expiry: the clamp in the answer, the audit event and the token', async () => {
    const body = await initDevice(t, { scopes: ['me.read', 'bootstrap'] });
    const from = wholeSecondNow();
    const approval = await approve(t, alice.token, {
      user_code: body.user_code,
      expires_in_days: 365,
    }).expect(200);
    // One hour (bootstrap's maxTtlSeconds) from the approval, in whole seconds.
    const hour = approval.body.token_expires_at as string;
    expect(Date.parse(hour) - 3600_000).toBeGreaterThanOrEqual(from);
    expect(Date.parse(hour) - 3600_000).toBeLessThanOrEqual(wholeSecondNow());
    expect(approval.body).toMatchObject({ token_expires_at: hour, expiry_clamped: true });
    const [approved] = (await auditEvents(t, 'device_flow.approve')).slice(-1);
    expect(approved.details).toMatchObject({ token_expires_at: hour, expiry_clamped: true });

    t.clock.advanceSeconds(5);
    // The clock moves on while the poll is answered: expires_in is what was left at some
    // moment during the request.
    const sent = t.clock.nowMs();
    const collected = await poll(t, body.device_code).expect(200);
    const left = (at: number) => Math.floor((Date.parse(hour) - at) / 1000);
    expect(collected.body.expires_in).toBeLessThanOrEqual(left(sent));
    expect(collected.body.expires_in).toBeGreaterThanOrEqual(left(t.clock.nowMs()));
    const issued = (await auditEvents(t, 'device_flow.token_issued')).at(-1)!;
    const token = await t.db
      .getRepository(ClientToken)
      .findOneByOrFail({ id: issued.details!.token_id as string });
    expect(token.expiresAt!.toISOString()).toBe(hour);
  });

  it('says nothing was clamped when the asked expiry fits', async () => {
    const body = await initDevice(t);
    const from = wholeSecondNow();
    const approval = await approve(t, alice.token, {
      user_code: body.user_code,
      expires_in_days: 30,
    }).expect(200);
    expect(approval.body.expiry_clamped).toBeUndefined();
    const expires = Date.parse(approval.body.token_expires_at) - 30 * 86_400_000;
    expect(expires).toBeGreaterThanOrEqual(from);
    expect(expires).toBeLessThanOrEqual(wholeSecondNow());
  });

  it('writes one audit event for a storm of replays of a consumed code', async () => {
    const body = await initDevice(t);
    await approve(t, alice.token, { user_code: body.user_code }).expect(200);
    const { body: collected } = await poll(t, body.device_code).expect(200);
    const before = (await auditEvents(t, 'device_flow.code_reuse')).length;

    const replays = await Promise.all(Array.from({ length: 20 }, () => poll(t, body.device_code)));
    expect(replays.map((r) => r.body.error)).toEqual(Array(20).fill('invalid_grant'));
    const events = (await auditEvents(t, 'device_flow.code_reuse')).slice(before);
    expect(events).toHaveLength(1);
    expect(events[0].details).toMatchObject({ token_revoked: true, replays: 1 });
    await me(t, collected.access_token as string).expect(401);

    // Ten minutes later the next replay reports the ones the log has not heard of.
    t.clock.advanceSeconds(600);
    await poll(t, body.device_code).expect(400);
    const later = (await auditEvents(t, 'device_flow.code_reuse')).slice(before);
    expect(later).toHaveLength(2);
    expect(later[1].details).toMatchObject({ token_revoked: false, replays: 20 });
  });
});

describe.runIf(await redisAnswers())('one token per device across two instances', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await createTestApp({ ...RELAXED_LIMITS, REDIS_URL });
    b = await createTestApp({ ...RELAXED_LIMITS, REDIS_URL }, { database: a.database });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('fails the replaced token on the other instance at once', async () => {
    const { token: session } = await a.factory.session();
    const first = await pair(a, session, 'kitchen-tv');
    await me(b, first.token).expect(200); // cached on b
    await pair(a, session, 'kitchen-tv');
    await me(b, first.token).expect(401);
  });
});
