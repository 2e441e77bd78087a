import type { ScopeDefinition } from '../auth/scope.registry.js';

/** The scopes this module adds. Code names them through this object, never as strings. */
export const ClientTokenScope = {
  Bootstrap: 'bootstrap',
} as const;

export const CLIENT_TOKEN_SCOPES: ScopeDefinition[] = [
  // The model short-lived scope: a token holding it lives at most one hour, whatever was asked.
  {
    name: ClientTokenScope.Bootstrap,
    description: 'Set up a new device or integration (a token holding it lives at most one hour)',
    maxTtlSeconds: 3600,
  },
];
