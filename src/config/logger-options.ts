import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { type DestinationStream, destination } from 'pino';
import type { AppConfig } from './app.config.js';

/** Request logs with the request id; secrets are redacted wherever they could appear. */
export function loggerOptions(
  config: Pick<AppConfig, 'logLevel'>,
  stream: DestinationStream = destination({ dest: 1, sync: false }),
): Params {
  // Asynchronous writes to stdout (lines queue while a write is in flight): a synchronous
  // write per request costs about a fifth of the throughput of a cheap route.
  return {
    // nestjs-pino's default route pattern matches nothing on NestJS 12's Fastify adapter,
    // so no request was ever logged; this one matches every path.
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
    pinoHttp: [
      {
        level: config.logLevel,
        // Fastify assigns request.id (from X-Request-Id when sane); pino-http reuses it.
        genReqId: (request) => (request as { id?: string }).id ?? '',
        redact: {
          paths: [
            // The serializers below never log headers or bodies; these catch a secret passed
            // to a logger call by mistake.
            'req.headers.authorization',
            'req.headers.cookie',
            'password',
            'access_token',
            'device_code',
            'raw_token',
            'token',
            'setup_code',
          ],
          censor: '[redacted]',
        },
        serializers: {
          // The URL may carry ?access_token=: its value is replaced before it reaches the log.
          req: (req: {
            id: string;
            method: string;
            url: string;
            headers: Record<string, unknown>;
          }) => ({
            id: req.id,
            method: req.method,
            url: req.url.replace(
              /([?&](access_token|device_code|user_code|code)=)[^&]*/g,
              '$1[redacted]',
            ),
            user_agent: req.headers['user-agent'],
          }),
          // Status only: response headers can carry tokens and cost a lot to serialize.
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
        autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health/') },
        quietReqLogger: true,
      },
      stream,
    ],
  };
}
