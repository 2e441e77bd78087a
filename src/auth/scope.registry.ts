import { Injectable } from '@nestjs/common';
import { ApiException } from '../common/errors/api.exception.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { UserRole } from './principal.js';

export interface ScopeDefinition {
  /** Dotted lower-case name, `<area>.<action>`: `devices.read`, `camera.stream`. */
  name: string;
  /** One line a person approving a device understands. */
  description: string;
  /** Only admins may hold it; a demoted admin loses it on every token at once. */
  adminOnly?: boolean;
  /** Clamps the lifetime of any token that holds it. */
  maxTtlSeconds?: number;
  /** May be the single scope of a long-lived token (read-only, paste-once use). */
  longLived?: boolean;
}

/** The core scopes. Routes name scopes through constants like these, never as strings. */
export const CoreScope = {
  MeRead: 'me.read',
  MeWrite: 'me.write',
  DevicesRead: 'devices.read',
  DevicesWrite: 'devices.write',
  TokensRead: 'tokens.read',
  TokensWrite: 'tokens.write',
  Admin: 'admin',
} as const;

export const CORE_SCOPES: ScopeDefinition[] = [
  { name: CoreScope.MeRead, description: 'Read your profile' },
  { name: CoreScope.MeWrite, description: 'Change your profile and approve device sign-ins' },
  { name: CoreScope.DevicesRead, description: 'List your paired devices' },
  { name: CoreScope.DevicesWrite, description: 'Rename and remove your paired devices' },
  { name: CoreScope.TokensRead, description: 'List your tokens' },
  { name: CoreScope.TokensWrite, description: 'Create, rotate and revoke your tokens' },
  {
    name: CoreScope.Admin,
    description: 'Administer users, tokens and the audit log',
    adminOnly: true,
  },
];

const SCOPE_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

/**
 * Every scope a token can carry. Core scopes are here from the start; a feature module
 * registers its own from its constructor (see docs/ARCHITECTURE.md, "Add your own module").
 */
@Injectable()
export class ScopeRegistry {
  private readonly scopes = new Map<string, ScopeDefinition>();

  constructor() {
    this.registerAll(CORE_SCOPES);
  }

  /** A module's scopes, from its constructor: `scopes.registerAll(CAMERA_SCOPES)`. */
  registerAll(scopes: readonly ScopeDefinition[]): void {
    for (const scope of scopes) this.register(scope);
  }

  register(scope: ScopeDefinition): void {
    if (!SCOPE_NAME.test(scope.name)) {
      throw new Error(`Scope name "${scope.name}" must be dotted lower-case words`);
    }
    const existing = this.scopes.get(scope.name);
    if (existing && JSON.stringify(existing) !== JSON.stringify(scope)) {
      throw new Error(`Scope "${scope.name}" is already registered with another definition`);
    }
    this.scopes.set(scope.name, Object.freeze({ ...scope }));
  }

  get(name: string): ScopeDefinition | undefined {
    return this.scopes.get(name);
  }

  all(): ScopeDefinition[] {
    return [...this.scopes.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  names(): string[] {
    return this.all().map((s) => s.name);
  }

  /** Throws 400 `unknown_scope` naming every scope that is not registered. */
  assertKnown(requested: string[]): void {
    const unknown = requested.filter((name) => !this.scopes.has(name));
    if (unknown.length > 0) {
      throw ApiException.badRequest(
        ErrorCode.UnknownScope,
        `Unknown scope${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Registered scopes: ${this.names().join(', ')}`,
      );
    }
  }

  /** What a user with this role may hold right now. */
  allowedFor(role: UserRole): string[] {
    return this.all()
      .filter((scope) => role === 'admin' || !scope.adminOnly)
      .map((scope) => scope.name);
  }

  mayHold(role: UserRole, scope: string): boolean {
    const definition = this.scopes.get(scope);
    return definition !== undefined && (role === 'admin' || !definition.adminOnly);
  }

  /** A token's scopes intersected with what its user may hold now. */
  effective(tokenScopes: readonly string[], role: UserRole): string[] {
    return tokenScopes.filter((scope) => this.mayHold(role, scope));
  }

  /** The shortest `maxTtlSeconds` among the scopes, or undefined when none clamps. */
  maxTtlSeconds(scopes: readonly string[]): number | undefined {
    const limits = scopes
      .map((name) => this.scopes.get(name)?.maxTtlSeconds)
      .filter((ttl): ttl is number => typeof ttl === 'number');
    return limits.length > 0 ? Math.min(...limits) : undefined;
  }
}
