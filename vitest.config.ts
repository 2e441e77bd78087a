import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globals: true,
    root: './',
    include: ['src/**/*.spec.ts', 'test/**/*.e2e-spec.ts'],
    setupFiles: ['./test/support/setup-env.ts'],
    // The server serves the built console: build it when console/ changed (test/browser).
    globalSetup: ['./test/support/console-build.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: one worker per core keeps MariaDB and argon2 from starving each other.
    maxWorkers: 2,
  },
});
