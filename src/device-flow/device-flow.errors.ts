/** The device-flow module's codes in the common error shape (the JSON API). */
export enum DeviceFlowError {
  /**
   * A registered client asked for (or, at approve and collect, still holds) a scope outside
   * its allowed scopes: the OAuth name, so both surfaces say the same.
   */
  InvalidScope = 'invalid_scope',
  /** No scopes were asked for and the client has no default. */
  ScopeRequired = 'scope_required',
  /** An approval tried to grant a scope the device did not ask for. */
  ScopeNotRequested = 'scope_not_requested',
  /** DEVICE_FLOW_REQUIRE_REGISTERED_CLIENT is on and the client_id is not (or no longer) registered. */
  InvalidClient = 'invalid_client',
}
