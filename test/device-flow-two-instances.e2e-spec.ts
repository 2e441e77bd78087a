import { AuditService } from '../src/audit/audit.service.js';
import {
  approve,
  chainedEventCount,
  chainPositions,
  initDevice,
  poll,
  RELAXED_LIMITS,
} from './support/device-flow.js';
import { createTestApp, type TestApp } from './support/test-app.js';

import { redisAnswers, TEST_REDIS_URL as REDIS_URL } from './support/redis.js';

// The device flow keeps no state another instance needs: rows in the database, poll
// bookkeeping in Redis, the pending view evicted over Redis pub/sub. Skipped without Redis.
describe.runIf(await redisAnswers())('device flow across two instances sharing Redis', () => {
  let a: TestApp;
  let b: TestApp;
  let alice: { token: string };
  const env = { ...RELAXED_LIMITS, REDIS_URL, LOGIN_RATE_LIMIT_PER_IP: '100000' };

  beforeAll(async () => {
    a = await createTestApp(env);
    b = await createTestApp(env, { database: a.database });
    alice = await a.factory.session();
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  /** Both instances' clocks move together, as real clocks would. */
  const advance = (seconds: number) => {
    a.clock.advanceSeconds(seconds);
    b.clock.advanceSeconds(seconds);
  };

  it('slows down a device that polls one instance and then the other too soon', async () => {
    const body = await initDevice(a);
    expect((await poll(a, body.device_code)).body.error).toBe('authorization_pending');
    advance(1);
    expect((await poll(b, body.device_code)).body).toMatchObject({
      error: 'slow_down',
      interval: 10,
    });
    advance(10);
    expect((await poll(a, body.device_code)).body).toMatchObject({
      error: 'authorization_pending',
      interval: 10,
    });
  });

  it('hands over the token promptly after an approval on the other instance', async () => {
    const body = await initDevice(a);
    // a now holds the code in its pending view.
    expect((await poll(a, body.device_code)).body.error).toBe('authorization_pending');
    await approve(b, alice.token, { user_code: body.user_code }).expect(200);
    // The clock stays within a's 15 s view: only the eviction message can tell a.
    advance(5);
    let status = 0;
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && status !== 200) {
      status = (await poll(a, body.device_code)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 25));
    }
    expect(status).toBe(200);
  });

  it('mints one token from 20 concurrent collections split across the instances', async () => {
    const body = await initDevice(a);
    await approve(a, alice.token, { user_code: body.user_code }).expect(200);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => poll(i % 2 ? a : b, body.device_code)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.body.error === 'invalid_grant')).toHaveLength(19);
  });

  it('keeps one unbroken audit chain while both instances pair devices at once', async () => {
    const count = () => chainedEventCount(a, 'device_flow.init');
    const before = await count();
    // Each instance expects the head where it last left it; the other keeps moving it.
    for (let round = 0; round < 3; round++) {
      await Promise.all(Array.from({ length: 20 }, (_, i) => initDevice(i % 2 ? a : b)));
    }
    expect(await count()).toBe(before + 60);
    expect((await chainPositions(a)).consecutive).toBe(true);
    expect(await a.app.get(AuditService).verify()).toMatchObject({ ok: true });
  });
});
