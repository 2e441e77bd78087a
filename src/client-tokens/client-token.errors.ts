/** Codes this module adds to the common error shape's `error` field. */
export enum ClientTokenErrorCode {
  /** The token is revoked or expired, so it cannot be rotated or paired. */
  TokenNotActive = 'token_not_active',
  /** A pairing code that is unknown, used or expired: one answer for all three. */
  InvalidPairCode = 'invalid_pair_code',
}
