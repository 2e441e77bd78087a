import { TokenCodec } from '../src/auth/token-codec.js';
import { TokenKindRegistry } from '../src/auth/token-kind.registry.js';
import { createToken } from './support/client-tokens.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('tokens that were never issued', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'true', INVALID_TOKEN_RATE_LIMIT_PER_IP: '5' });
  });
  afterAll(() => t?.close());

  const madeUp = () => t.app.get(TokenCodec).issue('c').raw;
  const me = (token: string, from: string) =>
    t.http().get('/api/users/me').set('X-Forwarded-For', from).auth(token, { type: 'bearer' });

  it('looks a refused token up once, then answers from memory', async () => {
    const handler = t.app.get(TokenKindRegistry).byLetter('c')!;
    const resolve = vi.spyOn(handler, 'resolve');
    const token = madeUp();
    for (let i = 0; i < 3; i++) await me(token, '198.51.100.30').expect(401);
    expect(resolve).toHaveBeenCalledTimes(1);
    resolve.mockRestore();
  });

  it('stops an address that keeps presenting invalid tokens, not its valid cached ones', async () => {
    const { token: session } = await t.factory.session();
    const valid = (await createToken(t, session)).raw;
    await me(valid, '198.51.100.40').expect(200);
    for (let i = 0; i < 5; i++) await me(madeUp(), '198.51.100.40').expect(401);
    const refused = await me(madeUp(), '198.51.100.40').expect(429);
    expect(refused.body.error).toBe('too_many_requests');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await me(valid, '198.51.100.40').expect(200);
    // Other addresses are not affected.
    await me(madeUp(), '198.51.100.41').expect(401);
  });

  it('lets a re-enabled user back in at once', async () => {
    const admin = await t.factory.session({ role: 'admin' });
    const { user, token } = await t.factory.session();
    const setDisabled = (disabled: boolean) =>
      t
        .http()
        .patch(`/api/admin/users/${user.id}`)
        .auth(admin.token, { type: 'bearer' })
        .send({ disabled })
        .expect(200);
    await setDisabled(true);
    await me(token, '198.51.100.50').expect(401);
    await setDisabled(false);
    await me(token, '198.51.100.50').expect(200);
  });
});
