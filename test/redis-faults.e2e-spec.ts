import { Redis } from 'ioredis';
import { RELAXED_LIMITS } from './support/device-flow.js';
import { PrivateRedis, waitFor } from './support/private-redis.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** A request that waited for Redis' reconnect attempts took 6 s or more before the fix. */
const FAIL_FAST_BOUND_MS = 2000;

describe.runIf(await PrivateRedis.available())('when Redis fails', () => {
  let redis: PrivateRedis;
  let t: TestApp;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    t = await createTestApp({
      ...RELAXED_LIMITS,
      REDIS_URL: redis.url,
      DEVICE_INIT_RATE_LIMIT_PER_IP: '3',
    });
    await waitFor(async () => (await ready()).body.info?.redis?.status === 'up', 'redis up');
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  const ready = () => t.http().get('/health/ready');
  const init = () =>
    t
      .http()
      .post('/api/auth/device/init')
      .set('X-Request-Id', `init-${Math.random().toString(36).slice(2)}`)
      .send({ client_device_identifier: 'tv-1', scopes: ['me.read'] });

  it('counts limits in Redis while it is up', async () => {
    await init().expect(200);
    const client = new Redis(redis.url);
    const keys = await client.keys('pairgate:rl:device.init.ip:*');
    client.disconnect();
    expect(keys).toHaveLength(1);
  });

  it('falls back to per-instance counters, answers fast, and reports degraded readiness', async () => {
    await redis.stop();
    await waitFor(async () => (await ready()).body.status === 'degraded', 'degraded readiness');
    const health = await ready().expect(200);
    expect(health.body).toMatchObject({
      status: 'degraded',
      info: { database: { status: 'up' }, redis: { status: 'down' } },
    });

    // Three inits per window: the local counter starts from zero for the outage.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const started = Date.now();
      const res = await init();
      statuses.push(res.status);
      expect(Date.now() - started).toBeLessThan(FAIL_FAST_BOUND_MS);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('recovers by itself when Redis returns', async () => {
    await redis.start();
    await waitFor(async () => (await ready()).body.status === 'ok', 'readiness back to ok');
    expect((await ready().expect(200)).body.info.redis).toEqual({ status: 'up' });
    // Counting is shared again: the fresh Redis window admits the next init and holds the key.
    await init().expect(200);
    const client = new Redis(redis.url);
    const keys = await client.keys('pairgate:rl:device.init.ip:*');
    client.disconnect();
    expect(keys).toHaveLength(1);
  });
});
