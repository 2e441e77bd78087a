import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ScopeRegistry } from '../auth/scope.registry.js';
import {
  type ResolvedToken,
  type TokenKindHandler,
  TokenKindRegistry,
} from '../auth/token-kind.registry.js';
import { SessionsRepository } from './sessions.repository.js';
import { UsersService } from './users.service.js';

/**
 * Plugs `pgs_` into the bearer guard. A session holds every scope its user may hold, and it
 * is the one kind that is a person signed in: what may mint other credentials.
 */
@Injectable()
export class SessionKind implements TokenKindHandler, OnModuleInit {
  readonly letter = 's';
  readonly kind = 'session';
  readonly capabilities = { loginSession: true };

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly kinds: TokenKindRegistry,
    private readonly scopes: ScopeRegistry,
  ) {}

  onModuleInit(): void {
    this.kinds.register(this);
  }

  rehash(tokenId: string, fromHash: string, toHash: string): Promise<void> {
    return this.sessions.replaceHash(tokenId, fromHash, toHash);
  }

  async resolve(hash: string, now: Date): Promise<ResolvedToken | null> {
    const found = await this.sessions.findActiveByHash(hash, now);
    if (!found) return null;
    const { session, user } = found;
    return {
      principal: {
        user: UsersService.toPrincipalUser(user),
        kind: this.kind,
        tokenId: session.id,
        scopes: this.scopes.allowedFor(user.role),
        deviceId: null,
      },
      expiresAt: session.expiresAt,
    };
  }

  touch(tokenId: string, ip: string, now: Date, threshold: Date): Promise<void> {
    return this.sessions.touch(tokenId, ip, now, threshold);
  }
}
