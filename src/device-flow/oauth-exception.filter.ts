import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiException } from '../common/errors/api.exception.js';
import { isDatabaseUnavailable } from '../common/database/database-unavailable.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { DeviceFlowError } from './device-flow.errors.js';
import { type OAuthErrorCode, OAuthException } from './oauth.exception.js';

export interface OAuthErrorBody {
  error: OAuthErrorCode;
  error_description: string;
  interval?: number;
}

/** The module's JSON API codes that have an RFC equivalent. */
const OAUTH_CODE: Record<string, OAuthErrorCode> = {
  [ErrorCode.UnknownScope]: 'invalid_scope',
  [DeviceFlowError.InvalidScope]: 'invalid_scope',
  [DeviceFlowError.ScopeRequired]: 'invalid_scope',
  [DeviceFlowError.InvalidClient]: 'invalid_client',
  // The bearer guard, where a route also takes a token (introspection).
  [ErrorCode.Unauthorized]: 'invalid_client',
  [ErrorCode.InvalidToken]: 'invalid_token',
  [ErrorCode.InsufficientScope]: 'insufficient_scope',
};

/** Codes that keep their 401 and challenge header: the caller failed to authenticate. */
const UNAUTHORIZED_CODES = new Set<OAuthErrorCode>([
  'invalid_client',
  'invalid_token',
  'insufficient_scope',
]);

export const OAUTH_RESPONSE_HEADERS = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/**
 * Renders every error of an OAuth endpoint in the RFC shape `{ error, error_description }`
 * with `Cache-Control: no-store`: protocol errors, validation failures (`invalid_request`),
 * rate limits (429 `slow_down` with Retry-After) and unexpected failures (`server_error`).
 */
@Catch()
export class OAuthExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('OAuthExceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const { status, body, headers } = this.toResponse(exception, request);
    void reply
      .headers({ ...OAUTH_RESPONSE_HEADERS, ...headers })
      .status(status)
      .send(body);
  }

  toResponse(
    exception: unknown,
    request: FastifyRequest,
  ): { status: number; body: OAuthErrorBody; headers: Record<string, string> } {
    if (exception instanceof OAuthException) {
      return {
        status: exception.getStatus(),
        body: {
          error: exception.error,
          error_description: exception.description,
          ...exception.extra,
        },
        headers: exception.headers,
      };
    }
    if (exception instanceof HttpException && exception.getStatus() === 429) {
      const headers = exception instanceof ApiException ? { ...exception.headers } : {};
      return {
        status: HttpStatus.TOO_MANY_REQUESTS,
        body: {
          error: 'slow_down',
          error_description: `Too many requests from this address: ${exception.message}`,
        },
        headers,
      };
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const code = exception instanceof ApiException ? OAUTH_CODE[exception.code] : undefined;
      // A failed client authentication keeps its 401 and Basic challenge (RFC 6749 §5.2), a
      // refused bearer caller its 401 and Bearer challenge (RFC 6750 §3).
      const unauthorized =
        exception.getStatus() === 401 && code !== undefined && UNAUTHORIZED_CODES.has(code);
      return {
        status: unauthorized ? HttpStatus.UNAUTHORIZED : HttpStatus.BAD_REQUEST,
        body: { error: code ?? 'invalid_request', error_description: messageOf(exception) },
        headers: unauthorized && exception instanceof ApiException ? { ...exception.headers } : {},
      };
    }
    // The database is down, or no code could be drawn: the client may retry (RFC 6749 §4.1.2.1).
    const unavailable =
      exception instanceof HttpException && exception.getStatus() === 503
        ? exception
        : isDatabaseUnavailable(exception)
          ? null
          : undefined;
    if (unavailable !== undefined) {
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        body: {
          error: 'temporarily_unavailable',
          error_description: unavailable
            ? messageOf(unavailable)
            : 'The service cannot reach its database just now: try again in a few seconds',
        },
        headers:
          unavailable instanceof ApiException && unavailable.headers
            ? { ...unavailable.headers }
            : { 'Retry-After': '5' },
      };
    }
    const fastifyError = exception as { statusCode?: number; message?: string };
    if (
      typeof fastifyError?.statusCode === 'number' &&
      fastifyError.statusCode >= 400 &&
      fastifyError.statusCode < 500
    ) {
      return {
        status: HttpStatus.BAD_REQUEST,
        body: {
          error: 'invalid_request',
          error_description: fastifyError.message ?? 'Bad request',
        },
        headers: {},
      };
    }
    this.logger.error(
      { err: exception, reqId: request.id },
      exception instanceof Error ? exception.stack : String(exception),
    );
    return {
      status: HttpStatus.INTERNAL_SERVER_ERROR,
      body: {
        error: 'server_error',
        error_description: `Something went wrong on our side; quote request id ${request.id} when reporting it`,
      },
      headers: {},
    };
  }
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: string | string[] }).message ?? exception.message;
  return Array.isArray(message) ? message.join('; ') : message;
}
