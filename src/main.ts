// First: a V8 setting that must be in place before the app allocates (see the module).
import './v8-tuning.js';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { configureApp, createFastifyAdapter } from './app.setup.js';
import { buildAppConfig } from './config/app.config.js';
import { validateEnvironment } from './config/environment.js';
import { settingsProblems } from './settings.js';
import { currentRootLogger } from './config/logger-options.js';

async function bootstrap(): Promise<void> {
  // A bad value stops the process with a message naming every bad variable.
  const problems = settingsProblems();
  if (problems) {
    console.error(problems);
    process.exit(1);
  }
  const config = buildAppConfig(validateEnvironment(process.env as Record<string, unknown>));
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    createFastifyAdapter(config),
    {
      bufferLogs: true,
    },
  );
  await configureApp(app);
  stopGracefully(app, config.shutdownGraceSeconds);
  await app.listen(config.port, config.host);
  console.log(
    `pairgate listening on ${config.publicUrl} (API docs at ${config.publicUrl}/api/docs)`,
  );
}

/**
 * SIGTERM (or SIGINT): stop accepting, let in-flight requests finish, end camera streams,
 * flush activity writes and logs (app.close() runs those hooks in that order), then exit 0.
 * Past the grace period the process exits 1 with whatever is still open.
 */
function stopGracefully(app: NestFastifyApplication, graceSeconds: number): void {
  const logger = currentRootLogger();
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceSeconds }, 'shutting down');
    setTimeout(() => {
      logger.error({ graceSeconds }, 'shutdown grace period over; exiting with requests open');
      logger.flush();
      process.exit(1);
    }, graceSeconds * 1000).unref();
    app.close().then(
      () => {
        logger.info('stopped');
        logger.flush(() => process.exit(0));
      },
      (err: Error) => {
        logger.error({ err }, 'shutdown failed');
        logger.flush(() => process.exit(1));
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

await bootstrap();
