import { DeviceAuthorization } from '../src/device-flow/device-authorization.entity.js';
import { initDevice, RELAXED_LIMITS } from './device-flow.support.js';
import { createTestApp, type TestApp } from './support/test-app.js';

// Forces the user codes the service draws, to show a collision with a stored code draws again.
const forced: string[] = [];
vi.mock('../src/device-flow/user-code.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/device-flow/user-code.js')>();
  return { ...actual, generateUserCode: () => forced.shift() ?? actual.generateUserCode() };
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

  it('gives up with a 500 only after five collisions in a row', async () => {
    forced.push(...Array(5).fill('BCDFGHJK'));
    const res = await t
      .http()
      .post('/api/auth/device/init')
      .send({ client_device_identifier: 'x', scopes: ['me.read'] });
    expect(res.status).toBe(500);
    expect(forced).toHaveLength(0);
  });
});
