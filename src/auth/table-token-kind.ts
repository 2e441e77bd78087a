import type { EntityManager } from 'typeorm';
import type { OnModuleInit } from '@nestjs/common';
import type { Principal } from './principal.js';
import type {
  ResolvedToken,
  TokenKindCapabilities,
  TokenKindHandler,
  TokenKindRegistry,
} from './token-kind.registry.js';
import type { TokenRow, TokenTable } from './token-table.js';

/**
 * A token kind whose tokens are rows of a TokenTable: resolving, touching and rehashing are
 * the same for every such kind; a kind says only its letter, name, capabilities, and which
 * scopes and device a row's principal holds. It registers itself at module init.
 */
export abstract class TableTokenKind<T extends TokenRow> implements TokenKindHandler, OnModuleInit {
  abstract readonly letter: string;
  abstract readonly kind: string;
  abstract readonly capabilities: TokenKindCapabilities;

  protected constructor(
    protected readonly table: TokenTable<T>,
    private readonly registry: TokenKindRegistry,
  ) {}

  /** The effective scopes a row's principal holds now. */
  protected abstract scopesOf(row: T, user: Principal['user']): string[];

  /** The device the token is bound to, if any. */
  protected deviceOf(_row: T): string | null {
    return null;
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  async resolve(hash: string, now: Date): Promise<ResolvedToken | null> {
    const row = await this.table.findActiveByHash(hash, now);
    if (!row?.user) return null;
    const { id, username, email, role } = row.user;
    const user = { id, username, email, role };
    return {
      principal: {
        user,
        kind: this.kind,
        tokenId: row.id,
        scopes: this.scopesOf(row, user),
        deviceId: this.deviceOf(row),
      },
      expiresAt: row.expiresAt,
      issuedAt: row.createdAt,
    };
  }

  touch(tokenId: string, ip: string, now: Date, threshold: Date): Promise<void> {
    return this.table.touch(tokenId, ip, now, threshold);
  }

  revoke(manager: EntityManager, tokenId: string, now: Date): Promise<boolean> {
    return this.table.revoke(manager, tokenId, now);
  }

  countActive(now: Date): Promise<number> {
    return this.table.countActive(now);
  }

  rehash(tokenId: string, fromHash: string, toHash: string): Promise<void> {
    return this.table.replaceHash(tokenId, fromHash, toHash);
  }
}
