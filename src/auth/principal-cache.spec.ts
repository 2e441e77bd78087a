import type { AppConfig } from '../config/app.config.js';
import type { Principal } from './principal.js';
import { PrincipalCache } from './principal-cache.js';

const principal = (tokenId: string, userId: string): Principal => ({
  user: { id: userId, username: userId, email: null, role: 'user' },
  kind: 'session',
  tokenId,
  scopes: ['me.read'],
  deviceId: null,
});

describe('PrincipalCache', () => {
  const make = () =>
    new PrincipalCache(
      { principalCacheTtlSeconds: 30 } as AppConfig,
      { subscribe: () => undefined, publish: async () => undefined } as never,
    );

  it('serves a cached principal until the TTL or the token expiry, whichever is first', () => {
    const cache = make();
    cache.set(
      'h1',
      { principal: principal('t1', 'u1'), expiresAt: null, issuedAt: new Date(0) },
      cache.epoch(),
      1_000,
    );
    expect(cache.get('h1', 30_999)).toBeDefined();
    expect(cache.get('h1', 31_000)).toBeUndefined();
    cache.set(
      'h2',
      { principal: principal('t2', 'u1'), expiresAt: new Date(5_000), issuedAt: new Date(0) },
      cache.epoch(),
      1_000,
    );
    expect(cache.get('h2', 4_999)).toBeDefined();
    expect(cache.get('h2', 5_000)).toBeUndefined();
  });

  it('evicts by token and by user', async () => {
    const cache = make();
    cache.set(
      'a',
      { principal: principal('t1', 'u1'), expiresAt: null, issuedAt: new Date(0) },
      cache.epoch(),
      0,
    );
    cache.set(
      'b',
      { principal: principal('t2', 'u1'), expiresAt: null, issuedAt: new Date(0) },
      cache.epoch(),
      0,
    );
    cache.set(
      'c',
      { principal: principal('t3', 'u2'), expiresAt: null, issuedAt: new Date(0) },
      cache.epoch(),
      0,
    );
    await cache.evict({ tokenIds: ['t1'] });
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.get('b', 1)).toBeDefined();
    await cache.evict({ userIds: ['u1'] });
    expect(cache.get('b', 1)).toBeUndefined();
    expect(cache.get('c', 1)).toBeDefined();
  });

  it('drops a resolve that raced an eviction, so a revoked token is not cached back', async () => {
    const cache = make();
    const epoch = cache.epoch(); // a request starts resolving...
    await cache.evict({ tokenIds: ['t1'] }); // ...the token is revoked meanwhile...
    cache.set(
      'a',
      { principal: principal('t1', 'u1'), expiresAt: null, issuedAt: new Date(0) },
      epoch,
      0,
    ); // ...stale result
    expect(cache.get('a', 1)).toBeUndefined();
  });
});
