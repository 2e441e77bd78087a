import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console is built into dist/console and served by the Nest process at `/` (ConsoleModule).
// `npm run console:dev` proxies the API to a server on :3000 while editing.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    // No inline scripts at all: the CSP's script-src is 'self' only.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: Object.fromEntries(
      ['/api', '/oauth', '/.well-known', '/health'].map((path) => [path, 'http://localhost:3000']),
    ),
  },
});
