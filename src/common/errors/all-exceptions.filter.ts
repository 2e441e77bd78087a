import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiException, type FieldProblem } from './api.exception.js';
import { DEFAULT_CODE_BY_STATUS, ErrorCode } from './error-code.js';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: FieldProblem[];
  request_id?: string;
}

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
