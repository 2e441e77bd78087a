import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { ScopeRegistry } from '../auth/scope.registry.js';
import { TableTokenKind } from '../auth/table-token-kind.js';
import { TokenKindRegistry } from '../auth/token-kind.registry.js';
import type { Session } from './session.entity.js';
import { SessionsRepository } from './sessions.repository.js';

/**
 * Plugs `pgs_` into the bearer guard. A session holds every scope its user may hold, and it
 * is the one kind that is a person signed in: what may mint other credentials.
 */
@Injectable()
export class SessionKind extends TableTokenKind<Session> {
  readonly letter = 's';
  readonly kind = 'session';
  readonly capabilities = { loginSession: true };

  constructor(
    sessions: SessionsRepository,
    kinds: TokenKindRegistry,
    private readonly scopes: ScopeRegistry,
  ) {
    super(sessions, kinds);
  }

  protected scopesOf(_session: Session, user: Principal['user']): string[] {
    return this.scopes.allowedFor(user.role);
  }
}
