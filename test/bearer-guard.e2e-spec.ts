import { randomUUID } from 'node:crypto';
import type { OpenAPIObject } from '@nestjs/swagger';
import { TokenCodec } from '../src/auth/token-codec.js';
import { createTestApp, type TestApp } from './support/test-app.js';

interface Route {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  allowsQueryToken: boolean;
  /** It also takes OAuth client credentials (introspection), in a form-encoded body. */
  takesClientCredentials: boolean;
}

/** Every route the API document says is protected, with path parameters filled in. */
function protectedRoutes(document: OpenAPIObject): Route[] {
  const routes: Route[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'patch', 'put', 'delete'] as const) {
      const operation = item[method];
      if (!operation?.security?.length) continue;
      routes.push({
        method,
        path: path.replace(/\{[^}]+\}/g, randomUUID()),
        allowsQueryToken: (operation.parameters ?? []).some(
          (p) => 'name' in p && p.name === 'access_token' && p.in === 'query',
        ),
        takesClientCredentials: operation.security.some((s) => 'client_secret_basic' in s),
      });
    }
  }
  return routes;
}

describe('the bearer guard on every protected route', () => {
  let t: TestApp;
  let routes: Route[];
  beforeAll(async () => {
    t = await createTestApp();
    routes = protectedRoutes(
      (await t.http().get('/api/docs-json').expect(200)).body as OpenAPIObject,
    );
  });
  afterAll(() => t?.close());

  function send(route: Route, authorization?: string, query = '') {
    const req = t.http()[route.method](`${route.path}${query}`);
    if (authorization) void req.set('authorization', authorization);
    return route.takesClientCredentials ? req.type('form').send('token=x') : req.send({});
  }

  async function expectAll401(authorization: string | undefined, error: string) {
    for (const route of routes) {
      const res = await send(route, authorization);
      // Without a bearer token, a route that takes client credentials asks for those.
      const asClient = route.takesClientCredentials && authorization === undefined;
      expect({
        route: `${route.method} ${route.path}`,
        status: res.status,
        error: res.body.error,
      }).toEqual({
        route: `${route.method} ${route.path}`,
        status: 401,
        error: asClient ? 'invalid_client' : error,
      });
      expect(res.headers['www-authenticate']).toMatch(
        asClient ? /^Basic realm="pairgate"/ : /^Bearer realm="pairgate"/,
      );
    }
  }

  it('finds the protected routes in the API document', () => {
    expect(routes.length).toBeGreaterThanOrEqual(8);
    expect(routes.map((r) => r.path)).toContain('/api/users/me');
  });

  it('refuses no token', async () => {
    await expectAll401(undefined, 'unauthorized');
  });

  it('refuses a malformed token', async () => {
    await expectAll401('Bearer not-a-pairgate-token', 'invalid_token');
    await expectAll401('Bearer', 'invalid_token');
  });

  it('refuses a token whose checksum is wrong', async () => {
    const { token } = await t.factory.session();
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    await expectAll401(`Bearer ${token.slice(0, -1)}${last}`, 'invalid_token');
  });

  it('refuses a well-formed token nobody issued', async () => {
    await expectAll401(`Bearer ${t.app.get(TokenCodec).issue('s').raw}`, 'invalid_token');
  });

  it('refuses a revoked session on the very next request', async () => {
    const { token } = await t.factory.session();
    await t.http().get('/api/users/me').auth(token, { type: 'bearer' }).expect(200); // cached now
    await t.http().post('/api/auth/logout').auth(token, { type: 'bearer' }).expect(204);
    await expectAll401(`Bearer ${token}`, 'invalid_token');
  });

  it("refuses a disabled user's session on the very next request", async () => {
    const admin = await t.factory.session({ role: 'admin' });
    const { user, token } = await t.factory.session();
    await t.http().get('/api/users/me').auth(token, { type: 'bearer' }).expect(200);
    await t
      .http()
      .patch(`/api/admin/users/${user.id}`)
      .auth(admin.token, { type: 'bearer' })
      .send({ disabled: true })
      .expect(200);
    await expectAll401(`Bearer ${token}`, 'invalid_token');
  });

  it('refuses a token in the query string on routes that did not opt in', async () => {
    const { token } = await t.factory.session();
    for (const route of routes.filter((r) => !r.allowsQueryToken)) {
      const res = await send(route, undefined, `?access_token=${token}`);
      expect([route.path, res.status]).toEqual([route.path, 401]);
    }
  });

  it('refuses a token in the request body', async () => {
    const { token } = await t.factory.session();
    const res = await t.http().post('/api/auth/logout').send({ access_token: token });
    expect(res.status).toBe(401);
  });

  it('answers 403 insufficient_scope when a scope is missing', async () => {
    const { token } = await t.factory.session({ role: 'user' });
    const res = await t.http().get('/api/admin/users').auth(token, { type: 'bearer' }).expect(403);
    expect(res.body).toMatchObject({ statusCode: 403, error: 'insufficient_scope' });
    expect(res.body.message).toContain('admin');
    expect(res.headers['www-authenticate']).toContain('error="insufficient_scope"');
  });

  it('drops admin from every token of a demoted admin at once', async () => {
    const root = await t.factory.session({ role: 'admin' });
    const other = await t.factory.session({ role: 'admin' });
    await t.http().get('/api/admin/users').auth(other.token, { type: 'bearer' }).expect(200);
    await t
      .http()
      .patch(`/api/admin/users/${other.user.id}`)
      .auth(root.token, { type: 'bearer' })
      .send({ role: 'user' })
      .expect(200);
    await t.http().get('/api/admin/users').auth(other.token, { type: 'bearer' }).expect(403);
    const me = await t
      .http()
      .get('/api/users/me')
      .auth(other.token, { type: 'bearer' })
      .expect(200);
    expect(me.body.scopes).not.toContain('admin');
    expect(me.body.role).toBe('user');
  });

  it('refuses an expired session (this test moves the clock past every session lifetime)', async () => {
    const { token } = await t.factory.session();
    await t.http().get('/api/users/me').auth(token, { type: 'bearer' }).expect(200);
    t.clock.advanceSeconds(7 * 24 * 3600 + 1);
    await expectAll401(`Bearer ${token}`, 'invalid_token');
  });
});
