import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { configureApp, createFastifyAdapter } from './app.setup.js';
import { buildAppConfig } from './config/app.config.js';
import { validateEnvironment } from './config/environment.js';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = buildAppConfig(validateEnvironment(process.env as Record<string, unknown>));
  } catch (err) {
    // A bad value stops the process with a message naming the variable.
    console.error((err as Error).message);
    process.exit(1);
  }
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    createFastifyAdapter(config),
    {
      bufferLogs: true,
    },
  );
  await configureApp(app);
  await app.listen(config.port, config.host);
  console.log(
    `pairgate listening on ${config.publicUrl} (API docs at ${config.publicUrl}/api/docs)`,
  );
}

await bootstrap();
