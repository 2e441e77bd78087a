import { HttpException, HttpStatus } from '@nestjs/common';

/** RFC 6749 §5.2, RFC 8628 §3.5 and RFC 6750 §3.1 (a bearer caller) error codes. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_grant'
  | 'invalid_scope'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'authorization_pending'
  | 'slow_down'
  | 'access_denied'
  | 'expired_token'
  | 'server_error'
  | 'temporarily_unavailable';

let stackTraceLimit = Error.stackTraceLimit;

/** Turns off stack capture for the `Error` constructor that runs next (see OAuthException). */
function withoutStack<T>(body: T): T {
  stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return body;
}

/**
 * An error in the RFC shape `{ error, error_description }`, for the token and device
 * authorization endpoints. OAuthExceptionFilter renders it.
 *
 * It is an answer to the client (`authorization_pending` on every poll), never logged with
 * a stack, so none is captured: that was 6 % of a token poll's CPU time.
 */
export class OAuthException extends HttpException {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly extra: { interval?: number } = {},
    status: HttpStatus = HttpStatus.BAD_REQUEST,
    readonly headers: Record<string, string> = {},
  ) {
    super(withoutStack({ error, error_description: description, ...extra }), status);
    Error.stackTraceLimit = stackTraceLimit;
  }
}
