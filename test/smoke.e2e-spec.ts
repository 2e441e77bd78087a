import { createTestApp, type TestApp } from './support/test-app.js';

describe('smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('boots and answers', async () => {
    await t.http().get('/health/live').expect(200, { status: 'ok' });
    await t.http().get('/health/ready').expect(200);
    const { token } = await t.factory.session();
    const me = await t.http().get('/api/users/me').set('authorization', `Bearer ${token}`);
    console.log(me.status, me.body);
    const none = await t.http().get('/api/users/me');
    console.log(none.status, none.body, none.headers['www-authenticate']);
  });
});
