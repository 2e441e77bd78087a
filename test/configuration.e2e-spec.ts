import { runRefusedServer } from './support/built-server.js';

describe('a configuration the process refuses', () => {
  it.each([
    [{ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD', 'short'],
    [
      {
        NODE_ENV: 'production',
        TOKEN_PEPPER: 'mysecretpepper',
        AUDIT_KEY: 'a'.repeat(40),
        PUBLIC_URL: 'https://pair.example.com',
      },
      'TOKEN_PEPPER',
      'mysecretpepper',
    ],
    [{ DATABASE_URL: 'mysql://root:hunter2@127.0.0.1:99999/x' }, 'DATABASE_URL', 'hunter2'],
    [{ REDIS_URL: 'redis://:hunter2@cache:70000' }, 'REDIS_URL', 'hunter2'],
  ])(
    'stops with a message naming the variable, never its secret, and no stack trace (%o)',
    async (env, name, secret) => {
      const { code, output } = await runRefusedServer(env);
      expect(code).toBe(1);
      expect(output).toContain(name);
      expect(output).not.toContain(secret);
      expect(output).not.toMatch(/\n\s+at /);
    },
  );
});
