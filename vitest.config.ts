import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globals: true,
    root: './',
    setupFiles: ['./test/support/setup-env.ts'],
    // The server serves the built console: build it when console/ changed (test/browser).
    globalSetup: ['./test/support/console-build.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: one worker per core keeps MariaDB and argon2 from starving each other.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: ['src/**/*.spec.ts', 'test/**/*.e2e-spec.ts'],
          exclude: ['test/browser/**'],
        },
      },
      {
        // After the rest: Chromium's load would skew the tests that compare timings.
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.e2e-spec.ts'],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
