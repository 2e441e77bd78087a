import { ScopeRegistry } from '../auth/scope.registry.js';
import { ApiException } from '../common/errors/api.exception.js';
import { LongLivedTokenPolicy } from './long-lived-token.policy.js';

function errorOf(fn: () => unknown): { status: number; error: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiException);
    const e = err as ApiException;
    return { status: e.getStatus(), error: (e.getResponse() as { error: string }).error };
  }
  throw new Error('expected a refusal');
}

describe('LongLivedTokenPolicy', () => {
  const scopes = new ScopeRegistry();
  scopes.register({ name: 'camera.stream', description: 'View camera streams', longLived: true });
  scopes.register({ name: 'door.peek', description: 'Peek', longLived: true, maxTtlSeconds: 3600 });
  scopes.register({ name: 'vault.view', description: 'Vault', longLived: true, adminOnly: true });
  const policy = new LongLivedTokenPolicy(scopes, { maxDays: 30 });
  const now = new Date('2026-11-01T00:00:00Z');

  it('defaults to camera.stream and offers only long-lived scopes the user may hold', () => {
    expect(policy.assertGrantable(undefined, 'user')).toBe('camera.stream');
    expect(policy.grantableScopes('user').map((s) => s.name)).toEqual([
      'camera.stream',
      'door.peek',
    ]);
    expect(policy.grantableScopes('admin').map((s) => s.name)).toContain('vault.view');
  });

  it('refuses unknown, not-long-lived and not-allowed scopes', () => {
    expect(errorOf(() => policy.assertGrantable('nope', 'user'))).toEqual({
      status: 400,
      error: 'unknown_scope',
    });
    expect(errorOf(() => policy.assertGrantable('me.read', 'admin'))).toEqual({
      status: 400,
      error: 'scope_not_long_lived',
    });
    expect(errorOf(() => policy.assertGrantable('vault.view', 'user')).status).toBe(403);
    expect(policy.assertGrantable('vault.view', 'admin')).toBe('vault.view');
  });

  it('requires an expiry within the configured maximum', () => {
    expect(errorOf(() => policy.expiry(null, 'camera.stream', now)).error).toBe('expiry_required');
    expect(errorOf(() => policy.expiry(undefined, 'camera.stream', now)).error).toBe(
      'expiry_required',
    );
    expect(errorOf(() => policy.expiry(31, 'camera.stream', now)).error).toBe('expiry_too_long');
    expect(policy.expiry(30, 'camera.stream', now)).toEqual({
      expiresAt: new Date('2026-12-01T00:00:00Z'),
      clamped: false,
    });
  });

  it("clamps the lifetime to the scope's maxTtlSeconds", () => {
    expect(policy.expiry(7, 'door.peek', now)).toEqual({
      expiresAt: new Date('2026-11-01T01:00:00Z'),
      clamped: true,
    });
  });
});
