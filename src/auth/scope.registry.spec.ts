import { ApiException } from '../common/errors/api.exception.js';
import { ScopeRegistry } from './scope.registry.js';

describe('ScopeRegistry', () => {
  let registry: ScopeRegistry;
  beforeEach(() => {
    registry = new ScopeRegistry();
  });

  it('starts with the core scopes', () => {
    expect(registry.names()).toEqual(
      expect.arrayContaining([
        'me.read',
        'me.write',
        'devices.read',
        'devices.write',
        'tokens.read',
        'tokens.write',
        'admin',
      ]),
    );
  });

  it('lets a module register its own scope, once', () => {
    registry.register({
      name: 'camera.stream',
      description: 'View camera streams',
      longLived: true,
    });
    expect(registry.get('camera.stream')?.longLived).toBe(true);
    // The same definition again is harmless (a module instantiated twice in tests).
    registry.register({
      name: 'camera.stream',
      description: 'View camera streams',
      longLived: true,
    });
    expect(() => registry.register({ name: 'camera.stream', description: 'Other' })).toThrow(
      /already registered/,
    );
    expect(() => registry.register({ name: 'Bad Name', description: 'x' })).toThrow(
      /dotted lower-case/,
    );
  });

  it('refuses unknown scopes with 400 unknown_scope naming them', () => {
    try {
      registry.assertKnown(['me.read', 'nope', 'also.nope']);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiException);
      const body = (err as ApiException).getResponse() as { error: string; message: string };
      expect((err as ApiException).getStatus()).toBe(400);
      expect(body.error).toBe('unknown_scope');
      expect(body.message).toContain('nope, also.nope');
    }
  });

  it('computes effective scopes: admin-only scopes vanish when the user is not an admin', () => {
    expect(registry.effective(['me.read', 'admin'], 'admin')).toEqual(['me.read', 'admin']);
    expect(registry.effective(['me.read', 'admin'], 'user')).toEqual(['me.read']);
    expect(registry.effective(['me.read', 'gone.scope'], 'admin')).toEqual(['me.read']);
    expect(registry.allowedFor('user')).not.toContain('admin');
    expect(registry.allowedFor('admin')).toContain('admin');
  });

  it('clamps lifetimes by the shortest maxTtlSeconds among the scopes', () => {
    registry.register({
      name: 'bootstrap',
      description: 'Bootstrap a device',
      maxTtlSeconds: 3600,
    });
    registry.register({ name: 'short.lived', description: 'x', maxTtlSeconds: 60 });
    expect(registry.maxTtlSeconds(['me.read'])).toBeUndefined();
    expect(registry.maxTtlSeconds(['me.read', 'bootstrap'])).toBe(3600);
    expect(registry.maxTtlSeconds(['bootstrap', 'short.lived'])).toBe(60);
  });
});
