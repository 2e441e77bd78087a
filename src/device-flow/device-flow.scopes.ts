import type { ScopeDefinition } from '../auth/scope.registry.js';

/** The scopes this module adds. Code names them through this object, never as strings. */
export const DeviceFlowScope = {
  Introspect: 'tokens.introspect',
} as const;

export const DEVICE_FLOW_SCOPES: ScopeDefinition[] = [
  // Admin-only: the answer names any user's token owner and scopes. For a resource server
  // that holds a client or long-lived token instead of a registered client's secret.
  {
    name: DeviceFlowScope.Introspect,
    description: 'Ask /oauth/introspect whether any token is live and what it may do (RFC 7662)',
    adminOnly: true,
  },
];
