import { HttpException, HttpStatus } from '@nestjs/common';
import { ErrorCode } from './error-code.js';

export interface FieldProblem {
  field: string;
  problems: string[];
}

/**
 * The exception every module throws: an HTTP status, a stable code and a sentence a person
 * can act on. The global filter renders it as `{ statusCode, error, message, details? }`.
 */
export class ApiException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: ErrorCode | string,
    message: string,
    readonly details?: FieldProblem[],
    readonly headers?: Record<string, string>,
  ) {
    super({ statusCode: status, error: code, message, ...(details ? { details } : {}) }, status);
  }

  static badRequest(code: ErrorCode | string, message: string, details?: FieldProblem[]) {
    return new ApiException(HttpStatus.BAD_REQUEST, code, message, details);
  }

  static notFound(what: string) {
    return new ApiException(HttpStatus.NOT_FOUND, ErrorCode.NotFound, `${what} not found`);
  }

  static forbidden(code: ErrorCode | string, message: string) {
    return new ApiException(HttpStatus.FORBIDDEN, code, message);
  }

  /** A route or rule that only a person signed in may use: no token may mint another. */
  static loginSessionRequired(action = 'create or widen credentials') {
    return new ApiException(
      HttpStatus.FORBIDDEN,
      ErrorCode.LoginSessionRequired,
      `This needs a login session: a client or long-lived token cannot ${action}`,
    );
  }

  /** 403 `scope_not_allowed`: scopes the caller may not hold or grant, and what to do. */
  static scopeNotAllowed(scopes: string[], message?: string) {
    return new ApiException(
      HttpStatus.FORBIDDEN,
      ErrorCode.ScopeNotAllowed,
      message ?? `You may not hold the scope${scopes.length > 1 ? 's' : ''} ${scopes.join(', ')}`,
    );
  }

  static conflict(message: string) {
    return new ApiException(HttpStatus.CONFLICT, ErrorCode.Conflict, message);
  }

  static tooManyRequests(retryAfterSeconds: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return new ApiException(
      HttpStatus.TOO_MANY_REQUESTS,
      ErrorCode.TooManyRequests,
      `Too many requests: try again in ${seconds} second${seconds === 1 ? '' : 's'}`,
      undefined,
      { 'Retry-After': String(seconds) },
    );
  }
}
