import { ScopeRegistry } from '../auth/scope.registry.js';
import type { ClientTokensConfig } from './client-tokens.config.js';
import { ClientTokenPolicy } from './client-token.policy.js';
import { CLIENT_TOKEN_SCOPES } from './client-token.scopes.js';

const DAY = 86_400_000;
const now = new Date('2026-11-20T12:00:00.250Z');

function policy(maxTtlDays = 3650) {
  const scopes = new ScopeRegistry();
  scopes.registerAll(CLIENT_TOKEN_SCOPES);
  const config: ClientTokensConfig = { maxTtlDays, exchangeRateLimitPerIp: 5 };
  return new ClientTokenPolicy(scopes, config);
}

function errorOf(fn: () => unknown): { status: number; error: string } {
  try {
    fn();
  } catch (err) {
    const e = err as { getStatus(): number; code: string };
    return { status: e.getStatus(), error: e.code };
  }
  throw new Error('expected a throw');
}

describe('ClientTokenPolicy', () => {
  describe('assertGrantable', () => {
    it('passes registered scopes the role may hold, deduplicated', () => {
      expect(policy().assertGrantable(['me.read', 'me.read', 'tokens.read'], 'user')).toEqual([
        'me.read',
        'tokens.read',
      ]);
      expect(policy().assertGrantable(['admin'], 'admin')).toEqual(['admin']);
    });

    it('answers 400 unknown_scope before 403 scope_not_allowed', () => {
      expect(errorOf(() => policy().assertGrantable(['admin', 'nope'], 'user'))).toEqual({
        status: 400,
        error: 'unknown_scope',
      });
      expect(errorOf(() => policy().assertGrantable(['me.read', 'admin'], 'user'))).toEqual({
        status: 403,
        error: 'scope_not_allowed',
      });
    });
  });

  describe('requestedExpiry', () => {
    it('reads days, seconds or an absolute date; nothing means never', () => {
      const p = policy();
      expect(p.requestedExpiry({ expires_in_days: 2 }, now)?.getTime()).toBe(
        now.getTime() + 2 * DAY,
      );
      expect(p.requestedExpiry({ ttl_seconds: 90 }, now)?.getTime()).toBe(now.getTime() + 90_000);
      expect(p.requestedExpiry({ expires_at: '2027-01-01T00:00:00Z' }, now)?.toISOString()).toBe(
        '2027-01-01T00:00:00.000Z',
      );
      expect(p.requestedExpiry({}, now)).toBeNull();
      expect(p.requestedExpiry({ expires_at: null, ttl_seconds: null }, now)).toBeNull();
    });

    it('refuses two expiry fields, and a date in the past', () => {
      expect(
        errorOf(() => policy().requestedExpiry({ expires_in_days: 1, ttl_seconds: 60 }, now)),
      ).toEqual({
        status: 400,
        error: 'validation_failed',
      });
      expect(
        errorOf(() => policy().requestedExpiry({ expires_at: '2026-11-20T11:59:59Z' }, now)),
      ).toEqual({ status: 400, error: 'validation_failed' });
    });
  });

  describe('clampExpiry', () => {
    it('clamps never and longer lifetimes to CLIENT_TOKEN_MAX_TTL_DAYS, in whole seconds', () => {
      const cap = Math.floor((now.getTime() + 3650 * DAY) / 1000) * 1000;
      expect(policy().clampExpiry(null, ['me.read'], now)?.getTime()).toBe(cap);
      expect(
        policy()
          .clampExpiry(new Date(now.getTime() + 5000 * DAY), ['me.read'], now)
          ?.getTime(),
      ).toBe(cap);
      const shorter = policy().clampExpiry(new Date(now.getTime() + DAY), ['me.read'], now);
      expect(shorter?.toISOString()).toBe('2026-11-21T12:00:00.000Z');
    });

    it('keeps never when the cap is 0', () => {
      expect(policy(0).clampExpiry(null, ['me.read'], now)).toBeNull();
    });

    it("clamps to the shortest scope's maxTtlSeconds (bootstrap: one hour)", () => {
      expect(policy().clampExpiry(null, ['me.read', 'bootstrap'], now)?.toISOString()).toBe(
        '2026-11-20T13:00:00.000Z',
      );
      expect(
        policy(0)
          .clampExpiry(new Date(now.getTime() + DAY), ['bootstrap'], now)
          ?.toISOString(),
      ).toBe('2026-11-20T13:00:00.000Z');
      const tenMinutes = new Date(now.getTime() + 600_000);
      expect(policy().clampExpiry(tenMinutes, ['bootstrap'], now)?.toISOString()).toBe(
        '2026-11-20T12:10:00.000Z',
      );
    });
  });
});
