import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ScopeRegistry } from '../auth/scope.registry.js';
import {
  type ResolvedToken,
  type TokenKindHandler,
  TokenKindRegistry,
} from '../auth/token-kind.registry.js';
import { UsersService } from '../users/users.service.js';
import { LongLivedTokensRepository } from './long-lived-tokens.repository.js';

/**
 * Plugs `pgl_` into the bearer guard. A long-lived token's principal holds its one scope (or
 * none, if its user may no longer hold it or its module is gone); the guard then refuses it
 * on every route that does not require that scope.
 */
@Injectable()
export class LongLivedTokenKind implements TokenKindHandler, OnModuleInit {
  readonly letter = 'l' as const;
  readonly kind = 'long_lived';
  readonly capabilities = { queryString: true, singleScope: true };

  constructor(
    private readonly tokens: LongLivedTokensRepository,
    private readonly kinds: TokenKindRegistry,
    private readonly scopes: ScopeRegistry,
  ) {}

  onModuleInit(): void {
    this.kinds.register(this);
  }

  rehash(tokenId: string, fromHash: string, toHash: string): Promise<void> {
    return this.tokens.replaceHash(tokenId, fromHash, toHash);
  }

  async resolve(hash: string, now: Date): Promise<ResolvedToken | null> {
    const found = await this.tokens.findActiveByHash(hash, now);
    if (!found) return null;
    const { token, user } = found;
    return {
      principal: {
        user: UsersService.toPrincipalUser(user),
        kind: this.kind,
        tokenId: token.id,
        scopes: this.scopes.effective([token.scope], user.role),
        deviceId: null,
      },
      expiresAt: token.expiresAt,
    };
  }

  touch(tokenId: string, ip: string, now: Date, threshold: Date): Promise<void> {
    return this.tokens.touch(tokenId, ip, now, threshold);
  }
}
