import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('the HTTP surface', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('answers liveness and readiness', async () => {
    await t.http().get('/health/live').expect(200, { status: 'ok' });
    const ready = await t.http().get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('renders unknown routes, bad JSON and bad fields in the one error shape', async () => {
    const missing = await t.http().get('/api/nothing-here').expect(404);
    expect(missing.body).toEqual({
      statusCode: 404,
      error: 'not_found',
      message: 'No route for GET /api/nothing-here',
    });
    const badJson = await t
      .http()
      .post('/api/auth/login')
      .set('content-type', 'application/json')
      .send('{nope')
      .expect(400);
    expect(badJson.body).toMatchObject({ statusCode: 400, error: 'bad_request' });
    const extra = await t
      .http()
      .post('/api/auth/login')
      .send({ username: 'a', password: 'b', admin: true })
      .expect(400);
    expect(extra.body).toEqual({
      statusCode: 400,
      error: 'validation_failed',
      message: 'property admin should not exist',
      details: [{ field: 'admin', problems: ['property admin should not exist'] }],
    });
  });

  it('sends security headers and a request id', async () => {
    const res = await t.http().get('/health/live').set('x-request-id', 'trace-123').expect(200);
    expect(res.headers['x-request-id']).toBe('trace-123');
    // Data answers: OWASP's API set, nothing to load, never framed.
    expect(res.headers).toMatchObject({
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'cross-origin-resource-policy': 'same-origin',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
    });
    expect(res.headers['x-dns-prefetch-control']).toBeUndefined();
    // PUBLIC_URL is http here: no upgrade of the pages' own requests, no HSTS.
    expect(res.headers['strict-transport-security']).toBeUndefined();
    // Errors and the OAuth endpoints are data too.
    const missing = await t.http().get('/api/nothing-here').expect(404);
    expect(missing.headers['content-security-policy']).toBe(res.headers['content-security-policy']);
    const oauth = await t.http().post('/oauth/token').type('form').send({}).expect(400);
    expect(oauth.headers['x-frame-options']).toBe('DENY');
    // HTML pages: the console's policy (its own files only) and the page headers.
    for (const path of ['/', '/api/docs']) {
      const page = await t.http().get(path).expect(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(page.headers).toMatchObject({
        'cross-origin-opener-policy': 'same-origin',
        'x-frame-options': 'SAMEORIGIN',
        'x-dns-prefetch-control': 'off',
      });
    }
    const generated = await t
      .http()
      .get('/health/live')
      .set('x-request-id', 'bad id with spaces')
      .expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the Swagger UI and the API document', async () => {
    const ui = await t.http().get('/api/docs').expect(200);
    expect(ui.headers['content-type']).toContain('text/html');
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('tags, describes and lists the error responses of every route', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.tags?.length, `${where} has a tag`).toBeGreaterThan(0);
        expect(op.summary, `${where} has a summary`).toBeTruthy();
        expect(
          Object.keys(op.responses).some((status) => status.startsWith('2')),
          `${where} lists its success response`,
        ).toBe(true);
        if (op.security?.length) {
          expect(Object.keys(op.responses), `${where} lists 401 and 403`).toEqual(
            expect.arrayContaining(['401', '403']),
          );
          expect(op['x-required-scopes'], `${where} lists its scopes`).toBeInstanceOf(Array);
        }
      }
    }
  });

  it('documents what a route returns', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    expect(
      doc.paths['/api/users/me'].get.responses['200'].content['application/json'].schema,
    ).toEqual({
      $ref: '#/components/schemas/MeDto',
    });
    expect(
      doc.paths['/api/auth/login'].post.responses['200'].content['application/json'].schema,
    ).toEqual({
      $ref: '#/components/schemas/LoginResponseDto',
    });
    expect(doc.paths['/api/auth/logout'].post.responses['204']).toBeDefined();
  });

  it('has plugin metadata generated from the DTOs as they are now (run `npm run openapi`)', async () => {
    // The served document comes from src/metadata.ts: regenerate it from the sources, so a
    // documented DTO field added without `npm run openapi` fails here.
    const file = `metadata.check-${process.pid}.ts`;
    try {
      await promisify(execFile)('npx', [
        'tsx',
        'scripts/generate-swagger-metadata.ts',
        '--check',
        file,
      ]);
      const fresh = readFileSync(`src/${file}`, 'utf8');
      expect(
        fresh === readFileSync('src/metadata.ts', 'utf8'),
        'src/metadata.ts is stale: run `npm run openapi`',
      ).toBe(true);
    } finally {
      rmSync(`src/${file}`, { force: true });
    }
  }, 60_000);

  it('matches the committed docs/openapi.json (run `npm run openapi` after an API change)', async () => {
    const doc = (await t.http().get('/api/docs-json').expect(200)).body;
    if (process.env.UPDATE_OPENAPI === '1') {
      writeFileSync('docs/openapi.json', `${JSON.stringify(doc, null, 2)}\n`);
    }
    const committed = JSON.parse(readFileSync('docs/openapi.json', 'utf8'));
    expect(doc).toEqual(committed);
  });
});

describe('behind https', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL: 'https://pair.example.com' });
  });
  afterAll(() => t?.close());

  it('asks browsers to stay on https', async () => {
    const res = await t.http().get('/health/live').expect(200);
    expect(res.headers['strict-transport-security']).toContain('max-age=');
    const page = await t.http().get('/').expect(200);
    expect(page.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    expect(page.headers['strict-transport-security']).toContain('max-age=');
  });
});
