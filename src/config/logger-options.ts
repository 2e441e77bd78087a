import type { Params } from 'nestjs-pino';
import type { AppConfig } from './app.config.js';

/** Request logs with the request id; secrets are redacted wherever they could appear. */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      // Fastify assigns request.id (from X-Request-Id when sane); pino-http reuses it.
      genReqId: (request) => (request as { id?: string }).id ?? '',
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.query.access_token',
          'res.headers["set-cookie"]',
          '*.password',
          '*.access_token',
          '*.device_code',
          '*.raw_token',
          '*.token',
          '*.setup_code',
        ],
        censor: '[redacted]',
      },
      serializers: {
        // The URL may carry ?access_token=: log the path and the names of query parameters only.
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
      },
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health/') },
      quietReqLogger: true,
    },
  };
}
