import { DeviceAuthorization } from '../src/device-flow/device-authorization.entity.js';
import { initDevice, RELAXED_LIMITS } from './support/device-flow.js';
import { createTestApp, type TestApp } from './support/test-app.js';

// Forces the user codes the service draws, to show a collision with a stored code draws again.
const forced: string[] = [];
vi.mock('../src/common/human-code.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/common/human-code.js')>();
  return { ...actual, generateHumanCode: () => forced.shift() ?? actual.generateHumanCode() };
});

describe('user code uniqueness', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(RELAXED_LIMITS);
  });
  afterAll(() => t?.close());

  it('draws again when a new code collides with a stored one', async () => {
    forced.push('BCDFGHJK');
    const first = await initDevice(t);
    expect(first.user_code).toBe('BCDF-GHJK');
    forced.push('BCDFGHJK', 'BCDFGHJK', 'ZXWVTSRQ');
    const second = await initDevice(t);
    expect(second.user_code).toBe('ZXWV-TSRQ');
    expect(await t.db.getRepository(DeviceAuthorization).countBy({ userCode: 'BCDFGHJK' })).toBe(1);
  });

  it('gives up after five collisions in a row with a 503 the device can retry', async () => {
    forced.push(...Array(5).fill('BCDFGHJK'));
    const res = await t
      .http()
      .post('/api/auth/device/init')
      .send({ client_device_identifier: 'x', scopes: ['me.read'] });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({
      error: 'service_unavailable',
      message: expect.stringContaining('try again'),
    });
    expect(forced).toHaveLength(0);
    // The OAuth surface says the same in its own words.
    forced.push(...Array(5).fill('BCDFGHJK'));
    const oauth = await t
      .http()
      .post('/oauth/device_authorization')
      .type('form')
      .send('client_id=tv&scope=me.read');
    expect(oauth.status).toBe(503);
    expect(oauth.headers['retry-after']).toBe('5');
    expect(oauth.body.error).toBe('temporarily_unavailable');
  });
});
