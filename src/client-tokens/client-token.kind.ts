import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { RequestMeta } from '../common/request-meta.js';
import { ScopeRegistry } from '../auth/scope.registry.js';
import type { Principal } from '../auth/principal.js';
import { TableTokenKind } from '../auth/table-token-kind.js';
import { TokenKindRegistry } from '../auth/token-kind.registry.js';
import { Transactions } from '../common/database/transactions.js';
import type { ClientToken } from './client-token.entity.js';
import { ClientTokensRepository } from './client-tokens.repository.js';

export const CLIENT_TOKEN_KIND = 'client';

/** One reuse event per token per minute is enough to investigate; more would be a write amplifier. */
const REUSE_AUDIT_INTERVAL_MS = 60_000;
const MAX_MEMO = 10_000;

/**
 * Plugs `pgc_` into the bearer guard: a hash resolves to the token's user, its effective
 * scopes and its bound device. A secret that rotation or a pairing exchange replaced is
 * refused like any unknown token, and its presentation is audited as
 * `client_token.reuse_after_rotation` (someone still holds the old secret).
 */
@Injectable()
export class ClientTokenKind extends TableTokenKind<ClientToken> {
  readonly letter = 'c';
  readonly kind = CLIENT_TOKEN_KIND;
  readonly capabilities = {};
  private readonly reuseRecorded = new Map<string, number>();

  constructor(
    private readonly tokens: ClientTokensRepository,
    kinds: TokenKindRegistry,
    private readonly scopes: ScopeRegistry,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
  ) {
    super(tokens, kinds);
  }

  protected scopesOf(token: ClientToken, user: Principal['user']): string[] {
    return this.scopes.effective(token.scopes, user.role);
  }

  protected override deviceOf(token: ClientToken): string | null {
    return token.deviceId;
  }

  async rejected(hash: string, now: Date, meta: RequestMeta): Promise<void> {
    const retired = await this.tokens.findRetiredSecret(hash);
    if (!retired) return;
    const nowMs = now.getTime();
    const last = this.reuseRecorded.get(retired.tokenId);
    if (last !== undefined && nowMs - last < REUSE_AUDIT_INTERVAL_MS && nowMs >= last) return;
    if (this.reuseRecorded.size >= MAX_MEMO) this.reuseRecorded.clear();
    this.reuseRecorded.set(retired.tokenId, nowMs);
    const token = retired.token!;
    await this.transactions.run((manager) =>
      this.audit.record(manager, {
        action: 'client_token.reuse_after_rotation',
        outcome: 'denied',
        actor: null,
        target: { type: 'client_token', id: retired.tokenId },
        meta,
        details: {
          user_id: token.userId,
          name: token.name,
          retired_at: retired.retiredAt.toISOString(),
          token_revoked: token.revokedAt !== null,
        },
      }),
    );
  }
}
