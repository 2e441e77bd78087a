import { ApiException } from './errors/api.exception.js';
import { ErrorCode } from './errors/error-code.js';

const DAY_MS = 86_400_000;

/** How a caller asked for a token's lifetime: at most one of these; none means "never". */
export interface ExpiryRequest {
  expires_in_days?: number | null;
  ttl_seconds?: number | null;
  expires_at?: string | Date | null;
}

/**
 * The absolute expiry asked for (null: never), or 400 naming the fields when more than one
 * is given or the date is past. The one reading of expiry fields: client tokens and device
 * approvals go through it, and each module then clamps the result by its own policy.
 */
export function requestedExpiry(request: ExpiryRequest, now: Date): Date | null {
  const given = (['expires_in_days', 'ttl_seconds', 'expires_at'] as const).filter(
    (field) => request[field] !== undefined && request[field] !== null,
  );
  if (given.length > 1) {
    throw ApiException.badRequest(
      ErrorCode.ValidationFailed,
      `Give at most one of ${given.join(', ')}`,
      given.map((field) => ({ field, problems: ['conflicts with another expiry field'] })),
    );
  }
  if (request.expires_in_days != null) {
    return new Date(now.getTime() + request.expires_in_days * DAY_MS);
  }
  if (request.ttl_seconds != null) {
    return new Date(now.getTime() + request.ttl_seconds * 1000);
  }
  if (request.expires_at != null) {
    const at = new Date(request.expires_at);
    if (at.getTime() <= now.getTime()) {
      throw ApiException.badRequest(
        ErrorCode.ValidationFailed,
        'expires_at must be in the future',
        [{ field: 'expires_at', problems: ['must be in the future'] }],
      );
    }
    return at;
  }
  return null;
}
