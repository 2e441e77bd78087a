import { waitFor } from './support/private-redis.js';
import { ensureBuilt, startServer, type ServerProcess } from './support/built-server.js';
import { Writable } from 'node:stream';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('request logging', () => {
  let t: TestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    t = await createTestApp({}, { logStream: stream });
  });
  afterAll(() => t?.close());

  it('logs one line per request with its id, path and status, and never a token or password', async () => {
    const { user, password, token } = await t.factory.session();
    lines.length = 0;
    await t
      .http()
      .get('/api/users/me')
      .set('authorization', `Bearer ${token}`)
      .set('x-request-id', 'req-42')
      .expect(200);
    await t.http().get(`/api/users/me?access_token=${token}&size=large`).expect(401);
    await t.http().post('/api/auth/login').send({ username: user.username, password }).expect(200);
    await t.http().get('/health/live').expect(200);

    const text = lines.join('\n');
    expect(text).not.toContain(token);
    expect(text).not.toContain(password);
    const completed = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request completed');
    expect(completed).toHaveLength(3); // health probes are not request-logged
    expect(completed[0]).toMatchObject({
      reqId: 'req-42',
      req: { method: 'GET', url: '/api/users/me' },
      res: { statusCode: 200 },
    });
    expect(completed[1].req.url).toBe('/api/users/me?access_token=[redacted]&size=large');
    expect(completed[1].res.statusCode).toBe(401);
    expect(completed[2].reqId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('a careless log call', () => {
  it('has its secret-named fields redacted', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const t = await createTestApp({}, { logStream: stream });
    try {
      t.app
        .getHttpAdapter()
        .getInstance()
        .log.info({ password: 'hunter2', token: 'pgc_leak', user: 'ann' }, 'oops');
      const line = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'oops');
      expect(line).toMatchObject({ password: '[redacted]', token: '[redacted]', user: 'ann' });
    } finally {
      await t.close();
    }
  });
});

/** Log writes are asynchronous: wait for the line. */
const logged = (server: ServerProcess, text: string) =>
  waitFor(async () => server.output().includes(text), `"${text}" in the log`, 5_000);

describe('the log of a started server', () => {
  let server: ServerProcess | undefined;
  // A fresh checkout builds first: not on a test's clock.
  beforeAll(() => ensureBuilt(), 300_000);
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('is JSON lines when stdout is not a terminal, without a line per route', async () => {
    server = await startServer({ LOG_LEVEL: 'info' });
    await fetch(`${server.url}/api/users/me`);
    await logged(server, 'request completed');
    const lines = server.output().split('\n').filter(Boolean);
    const json = lines.filter((l) => l.startsWith('{'));
    expect(json.length).toBeGreaterThan(2);
    expect(lines.some((l) => l.includes('Mapped {'))).toBe(false);
    expect(json.some((l) => l.includes('RoutesResolver') || l.includes('InstanceLoader'))).toBe(
      false,
    );
    expect(json.map((l) => JSON.parse(l) as { msg: string }).map((l) => l.msg)).toContain(
      'request completed',
    );
  });

  it('is human-readable with LOG_FORMAT=pretty (what a terminal gets), the setup link its own block', async () => {
    server = await startServer({ LOG_LEVEL: 'info', LOG_FORMAT: 'pretty' });
    await fetch(`${server.url}/api/users/me`);
    await logged(server, 'GET /api/users/me 401');
    const output = server.output();
    const lines = output.split('\n').filter(Boolean);
    expect(lines.filter((l) => l.startsWith('{'))).toEqual([]);
    expect(output).not.toContain('Mapped {');
    // A request reads as method, path, status and duration, with its id.
    expect(output).toMatch(/\d\d:\d\d:\d\d\b.*INFO.*GET \/api\/users\/me 401 \d+ms .*reqId/);
    expect(lines.some((l) => l.trim().startsWith('curl -X POST'))).toBe(true);
  });
});
