import type { Response } from 'supertest';
import type { AuthOptions } from '../src/auth/auth.decorators.js';
import { ScopeRegistry } from '../src/auth/scope.registry.js';
import { createToken, mintDeviceToken } from './support/client-tokens.js';
import { discoverRoutes, type DiscoveredRoute } from './support/routes.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** The codes with which the guard (or the route's declared rule) refuses a caller. */
const AUTH_REFUSALS = [
  'unauthorized',
  'invalid_token',
  'insufficient_scope',
  'login_session_required',
];

type Caller =
  | 'anonymous'
  | 'owner session'
  | "other user's session"
  | 'client token without the scope'
  | 'client token with the scope'
  | 'device token'
  | 'long-lived token'
  | 'admin session';

/**
 * What a caller should meet: a refusal by code, `hidden` (another user's thing: 404, or a 4xx
 * for the input, never a success), or `served` (no auth refusal: a success, or a 4xx about
 * the input or the thing's state).
 */
type Expected =
  | 'unauthorized'
  | 'invalid_client'
  | 'insufficient_scope'
  | 'login_session_required'
  | 'hidden'
  | 'served';

/**
 * Rules a route enforces beyond what its metadata can say, each with its reason. Kept short:
 * a route whose answers differ from its metadata and is not here fails the test.
 */
const RULES_BEYOND_METADATA: Record<string, Partial<Record<Caller, Expected[]>>> = {
  // A client token may rotate its own secret (a device renewing itself); rotating another
  // token needs a login session. The matrix's token is not the one rotated.
  'POST /api/client-tokens/:id/rotate': {
    'client token with the scope': ['login_session_required'],
    'device token': ['login_session_required'],
  },
};

interface World {
  tokens: Record<Exclude<Caller, 'anonymous'>, string | null>;
  /** Path parameters that name the owner's things (and the cameras, which nobody owns). */
  params: Record<string, string>;
  /** The scopes a device token holds: every scope a user may hold, but long-lived ones. */
  deviceScopes: string[];
  /** Scopes only admins may hold (`admin`, `audit.read`). */
  adminScopes: string[];
}

const sessionOnly = (auth: AuthOptions) =>
  (auth as AuthOptions & { session?: boolean }).session === true;

/** Path parameters that name something one user owns. */
const OWNED = new Set(['clientToken', 'longLivedToken', 'device', 'session']);

function expected(route: DiscoveredRoute, caller: Caller, world: World): Expected[] {
  if (route.isPublic) return ['served'];
  const beyond = RULES_BEYOND_METADATA[`${route.method} ${route.path}`]?.[caller];
  if (beyond) return beyond;
  const auth = route.auth!;
  const required = auth.scopes ?? [];
  const admin = required.some((s) => world.adminScopes.includes(s));
  const session = sessionOnly(auth);
  const owned = !admin && paramKeys(route).some((key) => OWNED.has(key));
  switch (caller) {
    case 'anonymous':
      // A route that also takes OAuth client credentials asks an anonymous caller for those.
      return auth.orClientCredentials ? ['invalid_client'] : ['unauthorized'];
    case 'owner session':
      return admin ? ['insufficient_scope'] : ['served'];
    case "other user's session":
      return admin ? ['insufficient_scope'] : owned ? ['hidden'] : ['served'];
    case 'admin session':
      return owned ? ['hidden'] : ['served'];
    case 'client token without the scope':
      return session ? ['insufficient_scope', 'login_session_required'] : ['insufficient_scope'];
    case 'client token with the scope':
      return session ? ['login_session_required'] : ['served'];
    case 'device token':
      if (!required.every((s) => world.deviceScopes.includes(s))) return ['insufficient_scope'];
      return session ? ['login_session_required'] : ['served'];
    case 'long-lived token':
      return required.some((s) => s.startsWith('camera.')) ? ['served'] : ['insufficient_scope'];
  }
}

function matches(res: Response, want: Expected[]): boolean {
  const error = (res.body as { error?: string } | undefined)?.error;
  if (res.status >= 500) return false;
  // The OAuth client refusal (its code is also an answer of the public /oauth routes).
  if (want.includes('invalid_client')) return res.status === 401 && error === 'invalid_client';
  const refusal =
    (res.status === 401 || res.status === 403) && error && AUTH_REFUSALS.includes(error)
      ? (error as Expected)
      : null;
  if (refusal) return want.includes(refusal);
  if (want.includes('served')) return true;
  // Hidden: never a success.
  return want.includes('hidden') && res.status >= 400;
}

/** The fixture each path parameter names, by the route's path. */
function paramKeys(route: DiscoveredRoute): string[] {
  return [...route.path.matchAll(/:([A-Za-z_]+)/g)].map(([, name]) => paramKey(route, name));
}

function paramKey(route: DiscoveredRoute, name: string): string {
  const path = route.path;
  const key = /client-tokens/.test(path)
    ? 'clientToken'
    : /long-lived-tokens/.test(path)
      ? 'longLivedToken'
      : /devices/.test(path)
        ? 'device'
        : /admin\/users/.test(path)
          ? 'user'
          : /oauth-clients/.test(path)
            ? 'oauthClient'
            : /cameras/.test(path)
              ? 'camera'
              : /audit-events/.test(path)
                ? 'auditEvent'
                : /sessions/.test(path)
                  ? 'session'
                  : null;
  if (!key) {
    throw new Error(
      `No fixture for :${name} in ${route.method} ${path}: add one to the authorization matrix`,
    );
  }
  return key;
}

describe('authorization matrix, generated from the routes and their metadata', () => {
  let t: TestApp;
  let routes: DiscoveredRoute[];
  beforeAll(async () => {
    t = await createTestApp({ CAMERA_STREAM_MAX_SECONDS: '1', CAMERA_STREAM_FPS: '1' });
    routes = discoverRoutes(t.app);
  });
  afterAll(() => t?.close());

  it('finds every route declared public or authenticated', () => {
    expect(routes.length).toBeGreaterThan(40);
    const undeclared = routes.filter((r) => !r.isPublic && !r.auth);
    expect(undeclared.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  /** A fresh world per route: a route may revoke the very tokens used to call it. */
  async function world(route: DiscoveredRoute): Promise<World> {
    const userScopes = t.app
      .get(ScopeRegistry)
      .all()
      .filter((s) => !s.adminOnly && !s.longLived)
      .map((s) => s.name);
    const required = route.auth?.scopes ?? [];
    const owner = await t.factory.session();
    const other = await t.factory.session();
    const admin = await t.factory.session({ role: 'admin' });
    const adminScopes = t.app
      .get(ScopeRegistry)
      .all()
      .filter((s) => s.adminOnly)
      .map((s) => s.name);
    const adminRoute = required.some((s) => adminScopes.includes(s));
    const withScope = adminRoute
      ? (await createToken(t, admin.token, { scopes: required })).raw
      : (
          await createToken(t, owner.token, {
            scopes: required.length > 0 ? required : ['me.read'],
          })
        ).raw;
    const without = userScopes.filter((s) => !required.includes(s));
    const withoutScope =
      required.length > 0 && without.length > 0
        ? (await createToken(t, owner.token, { scopes: without })).raw
        : null;
    const device = await mintDeviceToken(t, owner.user.id, { scopes: userScopes });
    const longLived = await t
      .http()
      .post('/api/long-lived-tokens')
      .auth(owner.token, { type: 'bearer' })
      .send({ name: 'kiosk', scope: 'camera.stream', expires_in_days: 30 })
      .expect(201);
    const target = await createToken(t, owner.token);
    // A second sign-in of the owner's, for the routes that end a session.
    const extraSession = await t
      .http()
      .get('/api/users/me')
      .auth(await t.factory.login(owner), { type: 'bearer' })
      .expect(200);
    const client = await t
      .http()
      .post('/api/admin/oauth-clients')
      .auth(admin.token, { type: 'bearer' })
      .send({ display_name: 'Matrix TV', allowed_scopes: ['me.read'] })
      .expect(201);
    return {
      tokens: {
        'owner session': owner.token,
        "other user's session": other.token,
        'client token without the scope': withoutScope,
        'client token with the scope': withScope,
        'device token': device.raw,
        'long-lived token': longLived.body.access_token as string,
        'admin session': admin.token,
      },
      deviceScopes: userScopes,
      adminScopes,
      params: {
        clientToken: target.id,
        longLivedToken: longLived.body.id as string,
        device: device.deviceId,
        user: owner.user.id,
        oauthClient: client.body.client_id as string,
        camera: '1',
        auditEvent: '1',
        session: extraSession.body.token_id as string,
      },
    };
  }

  const callers: Caller[] = [
    'anonymous',
    "other user's session",
    'client token without the scope',
    'long-lived token',
    'device token',
    'owner session',
    'client token with the scope',
    // Last: an admin route may revoke or delete what the other callers hold.
    'admin session',
  ];

  it('answers every route as its metadata says, for every kind of caller', async () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      const w = await world(route);
      const path = route.path.replace(/:([A-Za-z_]+)/g, (_, name: string) =>
        encodeURIComponent(w.params[paramKey(route, name)]),
      );
      for (const caller of callers) {
        const token = caller === 'anonymous' ? undefined : w.tokens[caller];
        if (caller !== 'anonymous' && !token) continue;
        let req = t.http()[route.method.toLowerCase() as 'get'](path);
        if (token) req = req.auth(token, { type: 'bearer' });
        const res =
          route.method === 'GET' || route.method === 'DELETE'
            ? await req
            : route.auth?.orClientCredentials
              ? await req.type('form').send('token=x')
              : await req.send({});
        const want = expected(route, caller, w);
        if (!matches(res, want)) {
          mismatches.push(
            `${route.method} ${route.path} as ${caller}: expected ${want.join(' or ')}, got ${res.status} ${JSON.stringify(res.body?.error ?? '')}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000);
});
