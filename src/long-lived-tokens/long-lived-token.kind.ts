import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { ScopeRegistry } from '../auth/scope.registry.js';
import { TableTokenKind } from '../auth/table-token-kind.js';
import { TokenKindRegistry } from '../auth/token-kind.registry.js';
import type { LongLivedToken } from './long-lived-token.entity.js';
import { LongLivedTokensRepository } from './long-lived-tokens.repository.js';

/**
 * Plugs `pgl_` into the bearer guard. A long-lived token's principal holds its one scope (or
 * none, if its user may no longer hold it or its module is gone); the guard then refuses it
 * on every route that does not require that scope.
 */
@Injectable()
export class LongLivedTokenKind extends TableTokenKind<LongLivedToken> {
  readonly letter = 'l';
  readonly kind = 'long_lived';
  readonly capabilities = { queryString: true, singleScope: true };

  constructor(
    tokens: LongLivedTokensRepository,
    kinds: TokenKindRegistry,
    private readonly scopes: ScopeRegistry,
  ) {
    super(tokens, kinds);
  }

  protected scopesOf(token: LongLivedToken, user: Principal['user']): string[] {
    return this.scopes.effective([token.scope], user.role);
  }
}
