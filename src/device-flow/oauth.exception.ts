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

/**
 * An error in the RFC shape `{ error, error_description }`, for the token and device
 * authorization endpoints. OAuthExceptionFilter renders it.
 */
export class OAuthException extends HttpException {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
    readonly extra: { interval?: number } = {},
    status: HttpStatus = HttpStatus.BAD_REQUEST,
    readonly headers: Record<string, string> = {},
  ) {
    super({ error, error_description: description, ...extra }, status);
  }
}
