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
    [{ SHUTDOWN_GRACE_SECONDS: '-1' }, 'SHUTDOWN_GRACE_SECONDS'],
    [{ PAIRGATE_V8_DEFAULTS: 'yes' }, 'PAIRGATE_V8_DEFAULTS'],
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

  /** The message validation gives, or '' when the environment is valid. */
  const messageFor = (env: Record<string, string>): string => {
    try {
      validateEnvironment(env);
      return '';
    } catch (err) {
      return (err as Error).message;
    }
  };

  it.each([
    [{ NODE_ENV: 'production', TOKEN_PEPPER: 'mysecretpepper' }, 'TOKEN_PEPPER', 'mysecretpepper'],
    [{ AUDIT_KEY: 'tiny-key' }, 'AUDIT_KEY', 'tiny-key'],
    [{ DATABASE_URL: 'mysql://root:hunter2@127.0.0.1:99999/x' }, 'DATABASE_URL', 'hunter2'],
    [{ DATABASE_URL: 'postgres://u:hunter2@db/x' }, 'DATABASE_URL', 'hunter2'],
    [{ REDIS_URL: 'redis://:hunter2@cache:70000' }, 'REDIS_URL', 'hunter2'],
  ])('names the variable in %o and never echoes the secret', (env, name, secret) => {
    const message = messageFor(env);
    expect(message).toContain(name);
    expect(message).not.toContain(secret);
    expect(message.split('\n').length).toBeLessThanOrEqual(3);
  });

  it.each([
    ['mysql://root:pw@127.0.0.1:99999/x', 'has a port outside 1-65535'],
    ['mysql://root:pw@127.0.0.1:0/x', 'has a port outside 1-65535'],
    ['mysql://root:pw@/x', 'is not a URL'],
    ['mysql://root:pw@127.0.0.1:3306', 'needs a database name'],
    ['mysql://root:pw@127.0.0.1:3306/bad name', 'needs a database name'],
    ['mysql:/missing-slashes/db', 'needs a host'],
    ['http://db/x', 'must start with mysql:// or mariadb://'],
    ['sqlite:', 'needs a file path'],
    ['not a url at all', 'is not a URL'],
  ])('catches DATABASE_URL=%s with one line: %s', (url, problem) => {
    const message = messageFor({ DATABASE_URL: url });
    expect(message).toContain(`DATABASE_URL ${problem}`);
  });

  it.each([
    ['redis://cache:99999', 'has a port outside 1-65535'],
    ['redis://', 'needs a host'],
    ['redis://cache:6379/zero', 'may end only with a database number'],
    ['localhost:6379', 'must start with redis://'],
  ])('catches REDIS_URL=%s: %s', (url, problem) => {
    expect(messageFor({ REDIS_URL: url })).toContain(`REDIS_URL ${problem}`);
  });

  it('shows a URL with its password masked', () => {
    expect(messageFor({ DATABASE_URL: 'mysql://root:hunter2@127.0.0.1:3306' })).toContain(
      'DATABASE_URL="mysql://root:***@127.0.0.1:3306"',
    );
  });
});
