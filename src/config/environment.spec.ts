import { validateEnvironment } from './environment.js';

describe('validateEnvironment', () => {
  it('applies the defaults on an empty environment', () => {
    const env = validateEnvironment({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBe('sqlite:./data/pairgate.sqlite');
    expect(env.TRUST_PROXY).toBe('false');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'postgres://x/y' }, 'DATABASE_URL'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ TOKEN_PEPPER: 'short' }, 'TOKEN_PEPPER'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ TRUST_PROXY: 'maybe!' }, 'TRUST_PROXY'],
  ])('refuses %o with a message naming %s', (env, name) => {
    expect(() => validateEnvironment(env)).toThrow(
      new RegExp(`^Invalid configuration:[\\s\\S]*${name}`),
    );
  });

  it('requires TOKEN_PEPPER, AUDIT_KEY and PUBLIC_URL in production', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(
      /TOKEN_PEPPER is required when NODE_ENV=production/,
    );
    expect(() =>
      validateEnvironment({
        NODE_ENV: 'production',
        TOKEN_PEPPER: 'x'.repeat(32),
        AUDIT_KEY: 'y'.repeat(32),
        PUBLIC_URL: 'https://pair.example.com',
      }),
    ).not.toThrow();
  });

  it('accepts mysql and sqlite URLs', () => {
    expect(
      validateEnvironment({ DATABASE_URL: 'mysql://root:pw@127.0.0.1:3306/pairgate' }).DATABASE_URL,
    ).toContain('mysql');
    expect(validateEnvironment({ DATABASE_URL: 'sqlite::memory:' }).DATABASE_URL).toBe(
      'sqlite::memory:',
    );
  });

  it('wants ADMIN_USERNAME and ADMIN_PASSWORD together', () => {
    expect(() => validateEnvironment({ ADMIN_USERNAME: 'root' })).toThrow(/set together/);
  });
});
