import type { FastifyReply, FastifyRequest } from 'fastify';
import { LogController } from 'fastify';
import type { Params } from 'nestjs-pino';
import { type DestinationStream, destination, type Logger, pino } from 'pino';
import type { AppConfig } from './app.config.js';

const SECRET_QUERY = /([?&](access_token|device_code|user_code|code|client_secret)=)[^&]*/gi;
const SECRET_KEYS = [
  'password',
  'access_token',
  'device_code',
  'client_secret',
  'token',
  'setup_code',
];

/** Replaces the value of any top-level secret-named field of a log line. */
export function redactSecrets(line: Record<string, unknown>): Record<string, unknown> {
  let out = line;
  for (const key of SECRET_KEYS) {
    if (key in line) out = { ...out, [key]: '[redacted]' };
  }
  return out;
}

/**
 * The one pino logger: Fastify logs requests with it (through its hooks, so no Express-style
 * middleware runs per request) and Nest logs through it via nestjs-pino.
 *
 * Writes are asynchronous (lines queue while a write is in flight): a synchronous write per
 * request costs about a fifth of a cheap route's throughput.
 */
export function createRootLogger(
  config: Pick<AppConfig, 'logLevel'>,
  stream: DestinationStream = destination({ dest: 1, sync: false }),
): Logger {
  lastRootLogger = pino(
    {
      level: config.logLevel,
      formatters: {
        // The serializers never log headers or bodies; this catches a secret handed to a
        // logger call by mistake. A formatter rather than pino's `redact`: see
        // docs/PERFORMANCE.md for why.
        log: redactSecrets,
      },
      serializers: {
        req: (req: FastifyRequest) => ({
          method: req.method,
          // The URL may carry ?access_token=: its value never reaches the log.
          url: req.url.replace(SECRET_QUERY, '$1[redacted]'),
          ip: req.ip,
          user_agent: req.headers['user-agent'],
        }),
        // Status only: response headers can carry tokens and cost a lot to serialize.
        res: (res: FastifyReply) => ({ statusCode: res.statusCode }),
      },
    },
    stream,
  );
  return lastRootLogger;
}

let lastRootLogger: Logger | undefined;

/** The logger the HTTP adapter was created with (created before the modules are). */
export function currentRootLogger(): Logger {
  if (!lastRootLogger)
    throw new Error('createFastifyAdapter() must run before the app module is built');
  return lastRootLogger;
}

/** One line per request, with the request id; health probes are not request-logged. */
export class RequestLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'reqId' });
  }

  override isLogDisabled(request: FastifyRequest): boolean {
    return request.url.startsWith('/health/');
  }

  override incomingRequest(): void {
    // Folded into the completion line.
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const line = { req: request, res: reply, responseTime: Math.round(reply.elapsedTime) };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

/** nestjs-pino on the same logger, for application logs; requests are logged by Fastify. */
export function nestLoggerOptions(logger: Logger = currentRootLogger()): Params {
  return { pinoHttp: { logger }, forRoutes: [] };
}
