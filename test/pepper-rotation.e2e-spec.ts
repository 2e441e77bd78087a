import { createHmac } from 'node:crypto';
import { createToken } from './support/client-tokens.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const OLD_PEPPER = 'old-pepper-0123456789abcdefghijklmnopqrstuvwxyz';
const NEW_PEPPER = 'new-pepper-0123456789abcdefghijklmnopqrstuvwxyz';
const hmac = (pepper: string, token: string) =>
  createHmac('sha256', pepper).update(token).digest('hex');

describe('rotating TOKEN_PEPPER', () => {
  let database: TestDatabase;
  let app: TestApp | undefined;
  beforeAll(async () => (database = await createTestDatabase()));
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(async () => database?.drop());

  const me = (t: TestApp, token: string) =>
    t.http().get('/api/users/me').auth(token, { type: 'bearer' });

  it('keeps tokens working through a rotation and moves each to the new pepper at first use', async () => {
    app = await createTestApp({ TOKEN_PEPPER: OLD_PEPPER }, { database });
    const { token: session } = await app.factory.session();
    const used = (await createToken(app, session)).raw;
    const unused = (await createToken(app, session)).raw;
    await app.close();

    // The rotation: the new pepper, with the old one as TOKEN_PEPPER_PREVIOUS.
    app = await createTestApp(
      { TOKEN_PEPPER: NEW_PEPPER, TOKEN_PEPPER_PREVIOUS: OLD_PEPPER },
      { database },
    );
    await me(app, session).expect(200);
    await me(app, used).expect(200);
    const rows: Array<{ token_hash: string }> = await app.db.query(
      'SELECT token_hash FROM client_tokens',
    );
    const hashes = rows.map((r) => r.token_hash);
    expect(hashes).toContain(hmac(NEW_PEPPER, used));
    expect(hashes).toContain(hmac(OLD_PEPPER, unused));
    await app.close();

    // The previous pepper removed: what was used moved over; what was not is gone with it.
    app = await createTestApp({ TOKEN_PEPPER: NEW_PEPPER }, { database });
    await me(app, session).expect(200);
    await me(app, used).expect(200);
    await me(app, unused).expect(401);
  });

  it('revokes a leaked token and introspects one still stored under the previous pepper', async () => {
    app = await createTestApp({ TOKEN_PEPPER: OLD_PEPPER }, { database });
    const admin = await app.factory.session({ role: 'admin' });
    const { token: session } = await app.factory.session();
    const leaked = (await createToken(app, session)).raw;
    const asked = (await createToken(app, session)).raw;
    const reader = (await createToken(app, admin.token, { scopes: ['tokens.introspect'] })).raw;
    await app.close();

    app = await createTestApp(
      { TOKEN_PEPPER: NEW_PEPPER, TOKEN_PEPPER_PREVIOUS: OLD_PEPPER },
      { database },
    );
    await app
      .http()
      .post('/api/token-leaks')
      .send({ tokens: [leaked] })
      .expect(202);
    await me(app, leaked).expect(401);
    const answer = await app
      .http()
      .post('/oauth/introspect')
      .type('form')
      .set('Authorization', `Bearer ${reader}`)
      .send(`token=${asked}`)
      .expect(200);
    expect(answer.body.active).toBe(true);
  });

  it('moves a confidential client secret to the new pepper at its first use', async () => {
    app = await createTestApp({ TOKEN_PEPPER: OLD_PEPPER }, { database });
    const admin = await app.factory.session({ role: 'admin' });
    const created = await app
      .http()
      .post('/api/admin/oauth-clients')
      .auth(admin.token, { type: 'bearer' })
      .send({
        client_id: 'rotating',
        display_name: 'R',
        allowed_scopes: ['me.read'],
        confidential: true,
      })
      .expect(201);
    const secret: string = created.body.client_secret;
    await app.close();

    const init = (t: TestApp) =>
      t
        .http()
        .post('/oauth/device_authorization')
        .auth('rotating', secret)
        .type('form')
        .send('scope=me.read');
    app = await createTestApp(
      { TOKEN_PEPPER: NEW_PEPPER, TOKEN_PEPPER_PREVIOUS: OLD_PEPPER },
      { database },
    );
    await init(app).expect(200);
    const [row] = await app.db.query(
      "SELECT secret_hash FROM oauth_clients WHERE client_id = 'rotating'",
    );
    expect(row.secret_hash).toBe(hmac(NEW_PEPPER, secret));
    await app.close();

    app = await createTestApp({ TOKEN_PEPPER: NEW_PEPPER }, { database });
    await init(app).expect(200);
  });
});
