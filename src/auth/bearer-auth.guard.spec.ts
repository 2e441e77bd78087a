import { ScopeRegistry } from './scope.registry.js';
import { AuthRefusals } from './auth-refusals.js';
import { Metrics } from '../common/metrics/metrics.js';
import { MemoryCounterStore } from '../common/rate-limit/counter-store.js';
import { RateLimiter } from '../common/rate-limit/rate-limiter.js';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Clock } from '../common/clock.js';
import { ApiException } from '../common/errors/api.exception.js';
import type { AppConfig } from '../config/app.config.js';
import type { ActivityRecorder } from './activity-recorder.js';
import { Authenticated, Public } from './auth.decorators.js';
import { BearerAuthGuard } from './bearer-auth.guard.js';
import { BearerStrategy } from './bearer.strategy.js';
import type { Principal } from './principal.js';
import { PrincipalCache } from './principal-cache.js';
import { PrincipalValidity } from './principal-validity.js';
import { TokenCodec } from './token-codec.js';
import { type TokenKindHandler, TokenKindRegistry } from './token-kind.registry.js';
import { TokenLookup } from './token-lookup.js';

const config = {
  secrets: { tokenPepper: 'p'.repeat(32) },
  principalCacheTtlSeconds: 30,
  invalidTokenRateLimitPerIp: 1000,
} as AppConfig;
const codec = new TokenCodec(config);

class Routes {
  @Public() open() {}
  plain() {}
  @Authenticated({ scopes: ['me.read'] }) me() {}
  @Authenticated({ admin: true }) admin() {}
  @Authenticated({ scopes: ['camera.stream'], allowQueryToken: true }) stream() {}
}

function principal(kind: Principal['kind'], scopes: string[]): Principal {
  return {
    user: { id: 'u1', username: 'alice', email: null, role: 'user' },
    kind,
    tokenId: `${kind}-1`,
    scopes,
    deviceId: null,
  };
}

describe('BearerAuthGuard', () => {
  const tokens = new Map<string, Principal>();
  const lookup = async (hash: string) => {
    const p = tokens.get(hash);
    return p ? { principal: p, expiresAt: null, issuedAt: new Date(0) } : null;
  };
  const handler = (
    letter: 's' | 'c' | 'l',
    kind: Principal['kind'],
    capabilities: TokenKindHandler['capabilities'],
    resolve = vi.fn(lookup),
  ): TokenKindHandler => ({
    letter,
    kind,
    capabilities,
    resolve,
    touch: vi.fn(async () => undefined),
    rehash: vi.fn(async () => undefined),
  });
  const kinds = new TokenKindRegistry();
  const sessionResolve = vi.fn(lookup);
  const session = handler('s', 'session', { loginSession: true }, sessionResolve);
  kinds.register(session);
  kinds.register(handler('c', 'client', {}));
  kinds.register(handler('l', 'long_lived', { queryString: true, singleScope: true }));
  const cache = new PrincipalCache(config, {
    subscribe: () => undefined,
    publish: async () => undefined,
  } as never);
  const metrics = new Metrics();
  const rateLimiter = new RateLimiter(
    { shared: null, sharedAvailable: () => false, local: new MemoryCounterStore() },
    metrics,
  );
  const clock = new Clock();
  new BearerStrategy(
    codec,
    new TokenLookup(codec, kinds),
    cache,
    clock,
    metrics,
    rateLimiter,
    new PrincipalValidity(cache, kinds, clock),
    config,
  );
  const record = vi.fn();
  const activity = { record } as unknown as ActivityRecorder;
  const guard = new BearerAuthGuard(
    new Reflector(),
    activity,
    kinds,
    new ScopeRegistry(),
    new AuthRefusals(),
  );

  function issue(kind: 's' | 'c' | 'l', p: Principal): string {
    const token = codec.issue(kind);
    tokens.set(token.hash, p);
    return token.raw;
  }

  function context(
    route: keyof Routes,
    headers: Record<string, string> = {},
    query: Record<string, string> = {},
  ) {
    const request: Record<string, unknown> = { headers, query, ip: '10.0.0.1' };
    const ctx = {
      getHandler: () => Routes.prototype[route],
      getClass: () => Routes,
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
    } as unknown as ExecutionContext;
    return { ctx, request };
  }

  async function refusal(
    promise: Promise<unknown>,
  ): Promise<{ status: number; error: string; headers?: Record<string, string> }> {
    try {
      await promise;
    } catch (err) {
      expect(err).toBeInstanceOf(ApiException);
      const e = err as ApiException;
      return {
        status: e.getStatus(),
        error: (e.getResponse() as { error: string }).error,
        headers: e.headers,
      };
    }
    throw new Error('expected a refusal');
  }

  it('lets public routes through without a token', async () => {
    expect(await guard.canActivate(context('open').ctx)).toBe(true);
  });

  it('denies by default: a route with no decorator still needs a token', async () => {
    const refused = await refusal(guard.canActivate(context('plain').ctx));
    expect(refused).toMatchObject({ status: 401, error: 'unauthorized' });
    expect(refused.headers?.['WWW-Authenticate']).toBe('Bearer realm="pairgate"');
  });

  it('refuses a wrong-checksum token without asking any resolver', async () => {
    const raw = issue('s', principal('session', ['me.read']));
    const typo = `${raw.slice(0, -1)}${raw.endsWith('A') ? 'B' : 'A'}`;
    const calls = sessionResolve.mock.calls.length;
    const refused = await refusal(
      guard.canActivate(context('me', { authorization: `Bearer ${typo}` }).ctx),
    );
    expect(refused).toMatchObject({ status: 401, error: 'invalid_token' });
    expect(refused.headers?.['WWW-Authenticate']).toContain('error="invalid_token"');
    expect(sessionResolve.mock.calls.length).toBe(calls);
  });

  it('puts the principal on the request and records activity', async () => {
    const p = principal('session', ['me.read']);
    const { ctx, request } = context('me', { authorization: `Bearer ${issue('s', p)}` });
    expect(await guard.canActivate(ctx)).toBe(true);
    expect(request.principal).toEqual(p);
    expect(record).toHaveBeenCalledWith(p, '10.0.0.1');
  });

  it('answers 403 insufficient_scope naming the missing scope', async () => {
    const raw = issue('c', principal('client', ['devices.read']));
    const refused = await refusal(
      guard.canActivate(context('me', { authorization: `Bearer ${raw}` }).ctx),
    );
    expect(refused).toMatchObject({ status: 403, error: 'insufficient_scope' });
    expect(refused.headers?.['WWW-Authenticate']).toContain('scope="me.read"');
    expect(
      (await refusal(guard.canActivate(context('admin', { authorization: `Bearer ${raw}` }).ctx)))
        .status,
    ).toBe(403);
  });

  it('refuses a query-string token on routes that did not opt in', async () => {
    const raw = issue('l', principal('long_lived', ['camera.stream']));
    const refused = await refusal(guard.canActivate(context('me', {}, { access_token: raw }).ctx));
    expect(refused).toMatchObject({ status: 401, error: 'invalid_token' });
  });

  it('accepts a long-lived token in the query string where the route opts in, and nothing else there', async () => {
    const raw = issue('l', principal('long_lived', ['camera.stream']));
    expect(await guard.canActivate(context('stream', {}, { access_token: raw }).ctx)).toBe(true);
    const sessionRaw = issue('s', principal('session', ['camera.stream', 'me.read']));
    expect(
      (await refusal(guard.canActivate(context('stream', {}, { access_token: sessionRaw }).ctx)))
        .status,
    ).toBe(401);
  });

  it('refuses a long-lived token on routes that do not require its scope', async () => {
    const raw = issue('l', principal('long_lived', ['camera.stream']));
    expect(
      (await refusal(guard.canActivate(context('plain', { authorization: `Bearer ${raw}` }).ctx)))
        .status,
    ).toBe(403);
    expect(
      (await refusal(guard.canActivate(context('me', { authorization: `Bearer ${raw}` }).ctx)))
        .status,
    ).toBe(403);
    expect(await guard.canActivate(context('stream', { authorization: `Bearer ${raw}` }).ctx)).toBe(
      true,
    );
  });

  it('refuses a token sent both in the header and the query string', async () => {
    const raw = issue('l', principal('long_lived', ['camera.stream']));
    const refused = await refusal(
      guard.canActivate(
        context('stream', { authorization: `Bearer ${raw}` }, { access_token: raw }).ctx,
      ),
    );
    expect(refused.status).toBe(400);
  });
});
