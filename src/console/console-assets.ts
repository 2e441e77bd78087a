import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { consoleDirectory } from './console-files.js';

/**
 * The console's built files under /assets/. Their names carry a content hash, so browsers may
 * keep them for a year; index.html (ConsoleController) is revalidated on every load.
 */
export async function serveConsoleAssets(app: NestFastifyApplication): Promise<void> {
  const directory = consoleDirectory();
  if (!directory) return;
  await app.register(fastifyStatic, {
    root: `${directory}assets`,
    prefix: '/assets/',
    index: false,
    maxAge: '365d',
    immutable: true,
  });
}
