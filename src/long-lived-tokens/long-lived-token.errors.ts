/** Codes this module adds to the common error shape's `error` field. */
export enum LongLivedTokenErrorCode {
  /** The scope is registered but not with `longLived: true`, or the user may not hold it. */
  ScopeNotLongLived = 'scope_not_long_lived',
  /** No expiry, or "never": a long-lived token always expires. */
  ExpiryRequired = 'expiry_required',
  /** More days than LONG_LIVED_TOKEN_MAX_DAYS allows. */
  ExpiryTooLong = 'expiry_too_long',
}
