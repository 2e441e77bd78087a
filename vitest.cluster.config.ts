import { defineConfig } from 'vitest/config';

// `npm run test:cluster`: built pairgate processes over a private MariaDB and Redis.
export default defineConfig({
  test: {
    globals: true,
    root: './',
    include: ['test/cluster/**/*.cluster-spec.ts'],
    setupFiles: ['./test/support/setup-env.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    maxWorkers: 1,
  },
});
