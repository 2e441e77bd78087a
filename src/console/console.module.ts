import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller.js';
import { ConsoleIndex, consoleDirectory } from './console-files.js';

/**
 * The web console (console/, built by Vite into dist/console). Its hashed assets are served
 * by @fastify/static in app.setup.ts; this module answers every other page URL.
 * Import it last in AppModule: its catch-all GET must not shadow a feature's routes.
 */
@Module({
  controllers: [ConsoleController],
  providers: [{ provide: ConsoleIndex, useFactory: () => new ConsoleIndex(consoleDirectory()) }],
})
export class ConsoleModule {}
