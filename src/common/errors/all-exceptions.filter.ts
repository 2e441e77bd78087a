import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../database/database-unavailable.js';
import { ApiException, type FieldProblem } from './api.exception.js';
import { DEFAULT_CODE_BY_STATUS, ErrorCode } from './error-code.js';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: FieldProblem[];
  request_id?: string;
  /** On 503 from /health/ready: the state of each checked component. */
  checks?: Record<string, unknown>;
}

/** How long a client should wait before retrying while a dependency is down. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** Fastify's own errors (bad JSON, wrong content type, body too large) carry a statusCode. */
interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * Turns every error into the one error shape. Unknown errors become a 500 that names the
 * request id; their stack goes to the log, never to the client.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const { body, headers } = this.toBody(exception, request);
    if (body.statusCode === 401 && !headers['WWW-Authenticate']) {
      headers['WWW-Authenticate'] = 'Bearer realm="pairgate"';
    }
    // JSON whatever the route declared for its success (an image, an HTML page).
    void reply
      .headers(headers)
      .type('application/json; charset=utf-8')
      .status(body.statusCode)
      .send(body);
  }

  toBody(
    exception: unknown,
    request: FastifyRequest,
  ): { body: ErrorBody; headers: Record<string, string> } {
    if (exception instanceof ApiException) {
      return {
        body: exception.getResponse() as ErrorBody,
        headers: { ...exception.headers },
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const raw =
        typeof response === 'string'
          ? response
          : ((response as { message?: string | string[] }).message ?? exception.message);
      const message = Array.isArray(raw) ? raw.join('; ') : raw;
      const code =
        DEFAULT_CODE_BY_STATUS[status] ??
        (status >= 500 ? ErrorCode.Internal : ErrorCode.BadRequest);
      const headers: Record<string, string> = {};
      if (status === 404 && message.startsWith('Cannot ')) {
        return {
          body: {
            statusCode: 404,
            error: ErrorCode.NotFound,
            message: `No route for ${request.method} ${request.url.split('?')[0]}`,
          },
          headers,
        };
      }
      if (status < 500) return { body: { statusCode: status, error: code, message }, headers };
      if (status === 503) {
        // @nestjs/terminus' readiness failure: its body lists what is down.
        const checks = (response as { details?: Record<string, unknown> }).details;
        return unavailable(
          checks ? `Not ready: ${describeDown(checks)}` : message,
          checks ? { checks } : {},
        );
      }
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(
        { reqId: request.id },
        `database unavailable: ${(exception as Error).message ?? String(exception)}`,
      );
      return unavailable('The database is not answering; try again in a few seconds');
    }
    const fastifyError = exception as FastifyLikeError;
    if (
      typeof fastifyError?.statusCode === 'number' &&
      fastifyError.statusCode >= 400 &&
      fastifyError.statusCode < 500
    ) {
      const status = fastifyError.statusCode;
      return {
        body: {
          statusCode: status,
          error: DEFAULT_CODE_BY_STATUS[status] ?? ErrorCode.BadRequest,
          message: fastifyError.message ?? 'Bad request',
        },
        headers: {},
      };
    }
    this.logger.error(
      { err: exception, reqId: request.id },
      exception instanceof Error ? exception.stack : String(exception),
    );
    return {
      body: {
        statusCode: 500,
        error: ErrorCode.Internal,
        message: `Something went wrong on our side; quote request id ${request.id} when reporting it`,
        request_id: String(request.id),
      },
      headers: {},
    };
  }
}

function unavailable(
  message: string,
  extra: Partial<ErrorBody> = {},
): { body: ErrorBody; headers: Record<string, string> } {
  return {
    body: { statusCode: 503, error: ErrorCode.ServiceUnavailable, message, ...extra },
    headers: { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
  };
}

function describeDown(checks: Record<string, unknown>): string {
  const down = Object.entries(checks)
    .filter(([, value]) => (value as { status?: string })?.status !== 'up')
    .map(([name]) => name);
  return down.length > 0 ? `${down.join(', ')} not answering` : 'a dependency is not answering';
}
