import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where `npm run build` put the console (`vite build` into dist/console): from source (tests,
 * tsx) src/console -> dist/console; compiled, dist/src/console -> dist/console. (Not the
 * source console/index.html, which only Vite can serve.)
 */
export function consoleDirectory(): string | null {
  const candidates = [
    new URL('../../dist/console/', import.meta.url),
    new URL('../../console/', import.meta.url),
  ];
  const found = candidates.find(
    (dir) => existsSync(new URL('index.html', dir)) && existsSync(new URL('assets/', dir)),
  );
  return found ? fileURLToPath(found) : null;
}

/** Paths that belong to the API and its neighbours: never answered with the console's page. */
const NOT_CONSOLE = /^\/(api|oauth|\.well-known|health|metrics|docs|assets)(\/|$)/;

export function isConsolePath(path: string): boolean {
  return !NOT_CONSOLE.test(path);
}

/** index.html, read once (the build does not change under a running process). */
export class ConsoleIndex {
  private html: string | null | undefined;

  constructor(private readonly directory: string | null) {}

  get(): string | null {
    if (this.html === undefined) {
      this.html = this.directory ? readFileSync(`${this.directory}index.html`, 'utf8') : null;
    }
    return this.html;
  }
}
