import { randomUUID } from 'node:crypto';
import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ActivityRecorder } from './auth/activity-recorder.js';
import { MAX_BODY_DEPTH, nestsDeeperThan } from './common/body-depth.js';
import { isHtml, securityHeaders } from './common/security-headers.js';
import { memoizeValidationMetadata } from './common/validation-metadata-cache.js';
import { serveConsoleAssets } from './console/console-assets.js';
import { ErrorCode } from './common/errors/error-code.js';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { validationExceptionFactory } from './common/errors/validation-exception.factory.js';
import { appConfig, type AppConfig } from './config/app.config.js';
import {
  createRootLogger,
  QuietStartupLogger,
  RequestLogController,
} from './config/logger-options.js';
import type { DestinationStream } from 'pino';
import { buildOpenApiDocument } from './openapi.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The HTTP adapter, with proxy trust and request ids (from X-Request-Id when it is sane). */
export function createFastifyAdapter(
  config: Pick<AppConfig, 'trustProxy' | 'logLevel' | 'prettyLogs'>,
  logStream?: DestinationStream,
): FastifyAdapter {
  return new FastifyAdapter({
    loggerInstance: createRootLogger(config, logStream),
    logController: new RequestLogController(),
    // Fastify accepts a hop count too; the adapter's type predates that.
    trustProxy: config.trustProxy as boolean | string | string[],
    bodyLimit: 256 * 1024,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
}

/** Everything main.ts and the tests both need: pipes, filter, security headers, API docs. */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  const config = app.get<AppConfig>(appConfig.KEY);
  app.useLogger(new QuietStartupLogger(app.get(Logger)));
  app.useGlobalFilters(new AllExceptionsFilter());
  memoizeValidationMetadata();
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  await serveConsoleAssets(app);
  const fastify = app.getHttpAdapter().getInstance();
  // Callback-style hooks: no promise per request on the hot path. Every answer starts with
  // the data headers (a route may override one); an HTML page gets the page headers instead.
  const headers = securityHeaders(config.publicUrl);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(headers.data).header('x-request-id', request.id);
    done();
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (isHtml(reply.getHeader('content-type'))) void reply.headers(headers.page);
    // API answers carry secrets (tokens, codes) and personal data: never stored by a cache,
    // unless a route says otherwise (the OAuth metadata, QR images).
    if (!reply.hasHeader('cache-control') && isApiPath(request.url)) {
      void reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });
  // Before any pipe walks the body (recursively): deep nesting is a 400, not a stack overflow.
  // (The OAuth endpoints rewrite it into their own shape in OAuthErrorShapeHook.)
  fastify.addHook('preValidation', (request, reply, done) => {
    if (request.body === undefined || !nestsDeeperThan(request.body, MAX_BODY_DEPTH)) {
      done();
      return;
    }
    // Answered here: a callback-style hook that sends does not call done().
    void reply
      .code(400)
      .type('application/json; charset=utf-8')
      .send({
        statusCode: 400,
        error: ErrorCode.BadRequest,
        message: `The request body nests deeper than ${MAX_BODY_DEPTH} levels`,
      });
  });
  if (config.swaggerEnabled) {
    const document = await buildOpenApiDocument(app as INestApplication);
    SwaggerModule.setup('api/docs', app, document, {
      jsonDocumentUrl: 'api/docs-json',
      customSiteTitle: 'pairgate API',
    });
  }
  // Fastify runs onClose hooks once the server has stopped accepting and the requests in
  // flight have finished, and before Nest's shutdown hooks close the database.
  fastify.addHook('onClose', async () => {
    await app.get(ActivityRecorder).flush();
  });
}

function isApiPath(url: string): boolean {
  return url.startsWith('/api/') || url.startsWith('/oauth/') || url.startsWith('/metrics');
}
