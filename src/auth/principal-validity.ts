import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import type { Principal } from './principal.js';
import { PrincipalCache } from './principal-cache.js';
import { TokenKindRegistry } from './token-kind.registry.js';

interface Origin {
  hash: string;
  letter: string;
}

/**
 * Whether a principal resolved earlier still holds: for work that outlives its request (an
 * open camera stream). Cheap: while the principal cache has the token, it is valid (every
 * revocation, expiry bound and disabled user evicts it, on every instance); otherwise the
 * token is resolved again, as the next request would.
 */
@Injectable()
export class PrincipalValidity {
  private readonly origins = new WeakMap<Principal, Origin>();

  constructor(
    private readonly cache: PrincipalCache,
    private readonly kinds: TokenKindRegistry,
    private readonly clock: Clock,
  ) {}

  /** Called by the bearer strategy for every principal it hands a request. */
  note(principal: Principal, hash: string, letter: string): void {
    // A cached principal comes back on every request: noted once, not once per request.
    if (this.origins.get(principal)?.hash === hash) return;
    this.origins.set(principal, { hash, letter });
  }

  async stillValid(principal: Principal): Promise<boolean> {
    const origin = this.origins.get(principal);
    if (!origin) return false;
    const nowMs = this.clock.nowMs();
    if (this.cache.get(origin.hash, nowMs)) return true;
    const handler = this.kinds.byLetter(origin.letter);
    if (!handler) return false;
    const epoch = this.cache.epoch();
    const resolved = await handler.resolve(origin.hash, new Date(nowMs));
    if (!resolved) return false;
    this.cache.set(origin.hash, resolved, epoch, nowMs);
    return resolved.principal.user.id === principal.user.id;
  }
}
