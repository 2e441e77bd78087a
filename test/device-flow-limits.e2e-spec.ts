import { DeviceApprovalService } from '../src/device-flow/device-approval.service.js';
import type { Principal } from '../src/auth/principal.js';
import { initDevice, pending, poll } from './support/device-flow.js';
import { createTestApp, type TestApp } from './support/test-app.js';

// Each describe boots its own app, so every counter starts at zero and uses the defaults.
describe('device flow abuse limits', () => {
  describe('device authorization requests', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t?.close());

    it('allow 10 per IP per minute, then 429 with Retry-After on both surfaces', async () => {
      for (let i = 0; i < 10; i++) await initDevice(t);
      const json = await t
        .http()
        .post('/api/auth/device/init')
        .send({ client_device_identifier: 'x', scopes: ['me.read'] })
        .expect(429);
      expect(json.body.error).toBe('too_many_requests');
      expect(Number(json.headers['retry-after'])).toBeGreaterThan(0);
      const oauth = await t
        .http()
        .post('/oauth/device_authorization')
        .type('form')
        .send('client_id=c&scope=me.read')
        .expect(429);
      expect(oauth.body).toEqual({ error: 'slow_down', error_description: expect.any(String) });
      expect(oauth.headers['cache-control']).toBe('no-store');
      expect(Number(oauth.headers['retry-after'])).toBeGreaterThan(0);
    });
  });

  describe('token polls', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ DEVICE_INIT_RATE_LIMIT_PER_IP: '1000' });
    });
    afterAll(() => t?.close());

    it('allow 60 per IP per minute across codes, then 429 slow_down with Retry-After', async () => {
      const codes = await Promise.all(Array.from({ length: 12 }, () => initDevice(t)));
      // A household: 12 devices behind one address, each polling politely, 5 rounds.
      for (let round = 0; round < 5; round++) {
        for (const code of codes) {
          const res = await poll(t, code.device_code);
          expect(res.body.error).toBe('authorization_pending');
        }
        t.clock.advanceSeconds(5);
      }
      const over = await poll(t, codes[0].device_code).expect(429);
      expect(over.body).toEqual({ error: 'slow_down', error_description: expect.any(String) });
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      expect(over.headers['cache-control']).toBe('no-store');
      const oauth = await t
        .http()
        .post('/oauth/token')
        .type('form')
        .send(
          `grant_type=urn:ietf:params:oauth:grant-type:device_code&client_id=x&device_code=${codes[1].device_code}`,
        )
        .expect(429);
      expect(oauth.body.error).toBe('slow_down');
    });
  });

  describe('user code lookups', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ DEVICE_INIT_RATE_LIMIT_PER_IP: '1000' });
    });
    afterAll(() => t?.close());

    it('allow 10 per IP per minute, counting failures and successes alike', async () => {
      const alice = await t.factory.session();
      const real = await initDevice(t);
      for (let i = 0; i < 8; i++) await pending(t, alice.token, 'BCDF-GHJK').expect(404);
      // A success does not reset the count...
      await pending(t, alice.token, real.user_code).expect(200);
      await pending(t, alice.token, 'BCDF-GHJK').expect(404);
      // ...so the 11th lookup from this address is refused, whoever asks and whatever the code.
      const over = await pending(t, alice.token, real.user_code).expect(429);
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      const bob = await t.factory.session();
      await pending(t, bob.token, real.user_code).expect(429);
      await t
        .http()
        .post('/api/auth/device/approve')
        .set('authorization', `Bearer ${bob.token}`)
        .send({ user_code: real.user_code })
        .expect(429);
      await t
        .http()
        .post('/api/auth/device/deny')
        .set('authorization', `Bearer ${bob.token}`)
        .send({ user_code: real.user_code })
        .expect(429);
    });

    it('allow 10 per user per minute, from any number of addresses', async () => {
      const { user } = await t.factory.user();
      const principal: Principal = {
        user: { id: user.id, username: user.username, email: null, role: 'user' },
        kind: 'session',
        tokenId: 'test',
        scopes: ['me.read', 'me.write'],
        deviceId: null,
      };
      const approvals = t.app.get(DeviceApprovalService);
      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) {
        const status = await approvals
          .pending(principal, 'BCDFGHJK', { ip: `198.51.100.${i}`, userAgent: null })
          .then(
            () => 200,
            (err: { getStatus(): number }) => err.getStatus(),
          );
        statuses.push(status);
      }
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
      expect(statuses[10]).toBe(429);
    });
  });
});
