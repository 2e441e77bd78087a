import { createTestApp, type TestApp } from './support/test-app.js';

// The console is served by the same process: its pages at their own URLs (history fallback),
// its hashed assets cached for good, and the API's paths untouched.
describe('serving the console', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it.each([
    '/',
    '/login',
    '/setup?code=ABCD',
    '/pair/device?user_code=BCDF-GHJK',
    '/account/tokens',
    '/admin/audit',
  ])('answers %s with the console page under a CSP without inline script', async (path) => {
    const res = await t.http().get(path).expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toContain('<div id="root"></div>');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    // Nothing inline for the CSP to refuse: one module script, loaded from /assets/.
    expect(res.text).toMatch(
      /<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/,
    );
    expect(res.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
  });

  it('serves the hashed assets with a long cache lifetime', async () => {
    const page = await t.http().get('/').expect(200);
    const script = /src="(\/assets\/index-[\w-]+\.js)"/.exec(page.text)![1]!;
    const res = await t.http().get(script).expect(200);
    expect(res.headers['content-type']).toContain('javascript');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await t.http().get('/assets/missing.js').expect(404);
  });

  it.each([
    '/api/nothing-here',
    '/oauth/nothing',
    '/.well-known/nothing',
    '/health/nothing',
    '/metrics/x',
    '/docs',
  ])('keeps the JSON 404 on %s', async (path) => {
    const res = await t.http().get(path).expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      error: 'not_found',
      message: `No route for GET ${path}`,
    });
  });

  it('leaves the API document and Swagger UI where they were', async () => {
    const ui = await t.http().get('/api/docs').expect(200);
    expect(ui.headers['content-type']).toContain('text/html');
    expect(ui.text).not.toContain('<div id="root"></div>');
    await t.http().get('/api/docs-json').expect(200);
  });
});
