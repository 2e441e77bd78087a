import type { ScopeDefinition } from '../auth/scope.registry.js';

/** The scopes this module adds. Code names them through this object, never as strings. */
export const AuditScope = {
  Read: 'audit.read',
} as const;

export const AUDIT_SCOPES: ScopeDefinition[] = [
  // Admin-only, and on its own so an admin can hand out a client token that reads the log
  // (a SIEM collector, say) and can do nothing else.
  { name: AuditScope.Read, description: 'Read and export the audit log', adminOnly: true },
];
