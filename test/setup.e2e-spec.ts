import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AuditEvent } from '../src/audit/audit-event.entity.js';
import { SetupService } from '../src/users/setup.service.js';
import { User } from '../src/users/user.entity.js';
import { startServer, type ServerProcess } from './support/built-server.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('first-run setup with a one-time code', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('is open on a fresh install and creates the first admin with the printed code, once', async () => {
    await t.http().get('/api/setup').expect(200, { setup_required: true });
    // The printed link opens the console's setup page (test/browser/first-run drives it).
    const page = await t.http().get('/setup?code=ABCD').expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    const code = t.app.get(SetupService).pendingCode!;
    expect(code).toMatch(
      /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/,
    );

    const wrong = await t
      .http()
      .post('/api/setup')
      .send({ setup_code: 'BBBB-BBBB-BBBB', username: 'root', password: 'root-password' })
      .expect(403);
    expect(wrong.body.error).toBe('invalid_setup_code');

    const res = await t
      .http()
      .post('/api/setup')
      .send({
        setup_code: code.toLowerCase(),
        username: 'root',
        password: 'root-password',
        email: 'root@example.com',
      })
      .expect(201);
    expect(res.body).toMatchObject({ username: 'root', role: 'admin' });
    await t.http().get('/api/setup').expect(200, { setup_required: false });

    const again = await t
      .http()
      .post('/api/setup')
      .send({ setup_code: code, username: 'root2', password: 'root-password' })
      .expect(403);
    expect(again.body.error).toBe('setup_not_available');

    const login = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'root', password: 'root-password' })
      .expect(200);
    const me = await t
      .http()
      .get('/api/users/me')
      .auth(login.body.access_token, { type: 'bearer' })
      .expect(200);
    expect(me.body.scopes).toContain('admin');
    const actions = (await t.db.getRepository(AuditEvent).find({ order: { id: 'ASC' } })).map(
      (e) => [e.action, e.outcome],
    );
    expect(actions.slice(0, 2)).toEqual([
      ['setup.create_admin', 'failure'],
      ['setup.create_admin', 'success'],
    ]);
    expect(await t.db.getRepository(User).countBy({ role: 'admin' })).toBe(1);
  });
});

describe('first-run setup from ADMIN_USERNAME and ADMIN_PASSWORD', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ADMIN_USERNAME: 'Boss', ADMIN_PASSWORD: 'boss-password' });
  });
  afterAll(() => t?.close());

  it('creates that admin at start and closes setup', async () => {
    await t.http().get('/api/setup').expect(200, { setup_required: false });
    expect(t.app.get(SetupService).pendingCode).toBeNull();
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'boss', password: 'boss-password' })
      .expect(200);
  });
});

describe('first-run setup from ADMIN_USERNAME on instances started together', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ADMIN_USERNAME: 'Boss', ADMIN_PASSWORD: 'boss-password' });
  });
  afterAll(() => t?.close());

  it('creates the admin once and neither instance fails to start', async () => {
    await t.db.query('DELETE FROM users');
    const setup = t.app.get(SetupService);
    // Two instances' bootstraps: both find no admin, both try to create it.
    await expect(
      Promise.all([setup.onApplicationBootstrap(), setup.onApplicationBootstrap()]),
    ).resolves.toBeDefined();
    const rows = await t.db.query("SELECT username FROM users WHERE username = 'boss'");
    expect(rows).toHaveLength(1);
    await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'boss', password: 'boss-password' })
      .expect(200);
  });
});

describe('first-run instructions in the terminal', () => {
  let server: ServerProcess;
  afterAll(async () => server?.stop());

  it('prints a command that creates the admin when run as printed', async () => {
    server = await startServer({ LOG_LEVEL: 'info' });
    const line = server
      .output()
      .split('\n')
      .find((l) => l.trim().startsWith('curl -X POST'));
    expect(line).toBeDefined();
    // The code is on the terminal, never in a JSON log line.
    const code = /"setup_code":"([A-Z-]+)"/.exec(line!)![1];
    const jsonLines = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    expect(jsonLines.some((l) => l.includes(code))).toBe(false);

    const { stdout } = await promisify(execFile)('sh', ['-c', line!.trim()]);
    expect(JSON.parse(stdout)).toMatchObject({ username: 'admin', role: 'admin' });

    const status = await fetch(`${server.url}/api/setup`);
    expect(await status.json()).toEqual({ setup_required: false });
  });
});
