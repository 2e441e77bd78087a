import { connect, type AddressInfo } from 'node:net';
import { createToken } from './support/client-tokens.js';
import { RELAXED_LIMITS } from './support/device-flow.js';
import { PrivateMariaDb } from './support/private-mariadb.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import type { TestDatabase } from './support/test-database.js';

const EMOJI_NAME = 'Living room 📺';
const CYRILLIC = 'Телевизор в гостиной';

/** A request whose User-Agent carries raw UTF-8 bytes, as some clients send them. */
async function rawPost(
  t: TestApp,
  path: string,
  userAgent: string,
  body: object,
): Promise<{ status: number; body: Record<string, string> }> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const payload = Buffer.from(JSON.stringify(body));
  const head = Buffer.concat([
    Buffer.from(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n`),
    Buffer.from('User-Agent: '),
    Buffer.from(userAgent, 'utf8'),
    Buffer.from(`\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n`),
  ]);
  const response = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.concat([head, payload])));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  const [header, ...rest] = response.split('\r\n\r\n');
  return {
    status: Number(header.split(' ')[1]),
    body: JSON.parse(rest.join('\r\n\r\n')) as Record<string, string>,
  };
}

/** What a person types anywhere: emoji, Cyrillic, in names, headers and usernames. */
function textSurvives(setup: () => Promise<TestApp>) {
  let t: TestApp;
  beforeAll(async () => (t = await setup()), 120_000);
  afterAll(async () => t?.close());

  it('keeps emoji and Cyrillic in names, user agents and usernames', async () => {
    const init = await rawPost(t, '/api/auth/device/init', 'TV 🚀 client', {
      client_device_identifier: 'tv-1',
      device_name: EMOJI_NAME,
      scopes: ['me.read'],
    });
    expect(init.status).toBe(200);
    const { token } = await t.factory.session();
    const pending = await t
      .http()
      .get(`/api/auth/device/pending?user_code=${init.body.user_code}`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(pending.body.device_name).toBe(EMOJI_NAME);
    // Header bytes arrive as Latin-1 characters (HTTP headers are not UTF-8): stored as sent.
    expect(Buffer.from(pending.body.user_agent as string, 'latin1').toString('utf8')).toBe(
      'TV 🚀 client',
    );

    const created = await createToken(t, token, { name: CYRILLIC });
    const read = await t
      .http()
      .get(`/api/client-tokens/${created.id}`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(read.body.name).toBe(CYRILLIC);

    // An unknown username with an emoji is a plain 401 (and is audited as typed).
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'мария😀', password: 'whatever password' })
      .expect(401);
  });
}

describe('text on the default database', () => {
  textSurvives(() => createTestApp(RELAXED_LIMITS));
});

describe.runIf(PrivateMariaDb.available())(
  'text on a MariaDB whose default charset is latin1',
  () => {
    let server: PrivateMariaDb;
    afterAll(async () => server?.destroy());
    textSurvives(async () => {
      server = await PrivateMariaDb.start([
        '--character-set-server=latin1',
        '--collation-server=latin1_swedish_ci',
      ]);
      // Created without a charset, so it takes the server's latin1 default.
      await server.query('CREATE DATABASE pairgate');
      const database: TestDatabase = {
        url: server.url('pairgate'),
        kind: 'mysql',
        drop: async () => undefined,
      };
      return createTestApp(RELAXED_LIMITS, { database });
    });
  },
);
