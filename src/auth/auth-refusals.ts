import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from './principal.js';

/** A valid token refused on a route that needs an admin-only scope it lacks. */
export interface AdminRouteRefusal {
  principal: Principal;
  ip: string | null;
  userAgent: string | null;
  method: string;
  path: string;
  missing: string[];
}

export type AdminRouteRefusalListener = (refusal: AdminRouteRefusal) => void;

/**
 * What the guard refused that an investigator wants to know about: a signed-in user or a
 * token knocking on admin routes. The audit-log module listens (the bearer layer does not
 * depend on the audit log); listeners must not throw or block.
 */
@Injectable()
export class AuthRefusals {
  private readonly logger = new Logger('AuthRefusals');
  private readonly listeners: AdminRouteRefusalListener[] = [];

  onAdminRouteRefused(listener: AdminRouteRefusalListener): void {
    this.listeners.push(listener);
  }

  adminRouteRefused(refusal: AdminRouteRefusal): void {
    for (const listener of this.listeners) {
      try {
        listener(refusal);
      } catch (err) {
        this.logger.warn(`refusal listener failed: ${(err as Error).message}`);
      }
    }
  }
}
