/** Stable snake_case codes carried in the `error` field of every non-OAuth error body. */
export enum ErrorCode {
  BadRequest = 'bad_request',
  ValidationFailed = 'validation_failed',
  Unauthorized = 'unauthorized',
  InvalidToken = 'invalid_token',
  InvalidCredentials = 'invalid_credentials',
  InsufficientScope = 'insufficient_scope',
  /** The route needs a person signed in: no client or long-lived token may do it. */
  LoginSessionRequired = 'login_session_required',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  Conflict = 'conflict',
  UnsupportedMediaType = 'unsupported_media_type',
  PayloadTooLarge = 'payload_too_large',
  TooManyRequests = 'too_many_requests',
  SetupNotAvailable = 'setup_not_available',
  InvalidSetupCode = 'invalid_setup_code',
  UnknownScope = 'unknown_scope',
  /** The caller may not hold or grant a scope it asked for (403), in every module. */
  ScopeNotAllowed = 'scope_not_allowed',
  Internal = 'internal_error',
  ServiceUnavailable = 'service_unavailable',
}

export const DEFAULT_CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.BadRequest,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  405: ErrorCode.BadRequest,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  422: ErrorCode.ValidationFailed,
  429: ErrorCode.TooManyRequests,
  503: ErrorCode.ServiceUnavailable,
};
