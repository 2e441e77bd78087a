import type { FastifyReply, FastifyRequest } from 'fastify';
import { LogController } from 'fastify';
import type { LoggerService } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { type DestinationStream, destination, type Logger, pino } from 'pino';
import pretty from 'pino-pretty';
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
  config: Pick<AppConfig, 'logLevel' | 'prettyLogs'>,
  stream: DestinationStream = config.prettyLogs
    ? prettyStream()
    : destination({ dest: 1, sync: false }),
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
          url: req.url.includes('?') ? req.url.replace(SECRET_QUERY, '$1[redacted]') : req.url,
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

interface PrettyLine {
  context?: string;
  req?: { method: string; url: string };
  res?: { statusCode: number };
  responseTime?: number;
  [key: string]: unknown;
}

/**
 * Human-readable lines for a terminal: time, level, then `GET /path 200 3ms` for a request
 * or `[Context] message` otherwise, and the remaining fields.
 */
function prettyStream(): DestinationStream {
  return pretty({
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,context,req,res,responseTime',
    singleLine: true,
    messageFormat: (log: PrettyLine, messageKey: string) => {
      if (log.req && log.res) {
        return `${log.req.method} ${log.req.url} ${log.res.statusCode} ${log.responseTime ?? '?'}ms`;
      }
      const raw = log[messageKey];
      const message = typeof raw === 'string' ? raw : JSON.stringify(raw ?? '');
      return log.context ? `[${log.context}] ${message}` : message;
    },
  });
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

/**
 * Nest's start-up chatter (a "Mapped {/path, GET} route" line per route, one line per module
 * and controller) is debug, not info: at the default level the log starts with what an
 * operator needs.
 */
const STARTUP_CONTEXTS = new Set(['RouterExplorer', 'RoutesResolver', 'InstanceLoader']);

export class QuietStartupLogger implements LoggerService {
  constructor(private readonly inner: LoggerService) {}

  log(message: unknown, ...rest: unknown[]): void {
    const context = rest.at(-1);
    if (typeof context === 'string' && STARTUP_CONTEXTS.has(context)) {
      this.inner.debug?.(message, ...rest);
      return;
    }
    this.inner.log(message, ...rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.inner.error(message, ...rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.inner.warn(message, ...rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.inner.debug?.(message, ...rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.inner.verbose?.(message, ...rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.inner.fatal?.(message, ...rest);
  }
}
