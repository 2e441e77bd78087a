import { RELAXED_LIMITS } from './support/device-flow.js';
import { freePort } from './support/private-redis.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const METRICS_TOKEN = 'metrics-token-0123456789';

describe('metrics', () => {
  describe('off by default', () => {
    let t: TestApp;
    beforeAll(async () => (t = await createTestApp()));
    afterAll(async () => t?.close());

    it('has no /metrics route', async () => {
      await t.http().get('/metrics').expect(404);
    });
  });

  describe('on the main port behind METRICS_TOKEN', () => {
    let t: TestApp;
    beforeAll(
      async () =>
        (t = await createTestApp({
          ...RELAXED_LIMITS,
          METRICS_ENABLED: 'true',
          METRICS_TOKEN,
          DEVICE_INIT_RATE_LIMIT_PER_IP: '1',
        })),
    );
    afterAll(async () => t?.close());

    const scrape = async () =>
      (await t.http().get('/metrics').auth(METRICS_TOKEN, { type: 'bearer' }).expect(200)).text;

    it('refuses a scrape without the token, or with another', async () => {
      await t.http().get('/metrics').expect(401);
      await t.http().get('/metrics').auth('not-the-metrics-token', { type: 'bearer' }).expect(401);
    });

    it('counts requests by route, issued tokens, cache lookups, rate limits and dependencies', async () => {
      const { token } = await t.factory.session();
      await t.http().get('/api/users/me').auth(token, { type: 'bearer' }).expect(200);
      await t.http().get('/api/users/me').auth(token, { type: 'bearer' }).expect(200);
      const init = () =>
        t
          .http()
          .post('/api/auth/device/init')
          .send({ client_device_identifier: 'tv', scopes: ['me.read'] });
      await init().expect(200);
      await init().expect(429);

      const text = await scrape();
      expect(text).toMatch(
        /pairgate_http_request_duration_seconds_count\{method="GET",route="\/api\/users\/me",status="200"\} 2\n/,
      );
      expect(text).toContain('pairgate_tokens_issued_total{kind="session"} 1');
      expect(text).toContain('pairgate_principal_cache_lookups_total{result="miss"} 1');
      expect(text).toContain('pairgate_principal_cache_lookups_total{result="hit"} 1');
      expect(text).toContain('pairgate_rate_limited_total{limit="device.init.ip"} 1');
      expect(text).toContain('pairgate_device_flow_events_total{step="init",outcome="success"} 1');
      expect(text).toContain('pairgate_dependency_up{dependency="database"} 1');
    });
  });

  describe('on METRICS_PORT only', () => {
    let t: TestApp;
    let port: number;
    beforeAll(async () => {
      port = await freePort();
      t = await createTestApp({
        METRICS_ENABLED: 'true',
        METRICS_PORT: String(port),
        HOST: '127.0.0.1',
      });
    });
    afterAll(async () => t?.close());

    it('serves the metrics there, without a token, and not on the main port', async () => {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('pairgate_dependency_up{dependency="database"} 1');
      await t.http().get('/metrics').expect(404);
    });
  });
});
