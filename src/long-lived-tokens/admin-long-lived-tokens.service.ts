import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { PrincipalCache } from '../auth/principal-cache.js';
import type { Principal } from '../auth/principal.js';
import { Clock } from '../common/clock.js';
import { Transactions } from '../common/database/transactions.js';
import { ApiException } from '../common/errors/api.exception.js';
import { decodeCursor, toPage } from '../common/pagination.js';
import type { RequestMeta } from '../common/request-meta.js';
import type { AdminLongLivedTokenListQuery } from './dto/long-lived-token-request.dto.js';
import {
  AdminLongLivedTokenDto,
  type AdminLongLivedTokenPageDto,
} from './dto/long-lived-token.dto.js';
import { LongLivedTokensRepository } from './long-lived-tokens.repository.js';

/** What admins do with everyone's long-lived tokens: list them and revoke them. */
@Injectable()
export class AdminLongLivedTokensService {
  constructor(
    private readonly tokens: LongLivedTokensRepository,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly cache: PrincipalCache,
    private readonly clock: Clock,
  ) {}

  async list(query: AdminLongLivedTokenListQuery): Promise<AdminLongLivedTokenPageDto> {
    const limit = query.limit ?? 50;
    const now = this.clock.now();
    const rows = await this.tokens.list({
      userId: query.user_id,
      username: query.username,
      scope: query.scope,
      lastUsedIp: query.last_used_ip,
      status: query.status,
      q: query.q,
      after: decodeCursor(query.cursor),
      limit,
      now,
    });
    return toPage(rows, limit, (token) => AdminLongLivedTokenDto.fromWithOwner(token, now));
  }

  /** Revokes anyone's token; idempotent like the owner's revoke. */
  async revoke(principal: Principal, id: string, meta: RequestMeta): Promise<void> {
    const now = this.clock.now();
    const revoked = await this.transactions.run(async (manager) => {
      const token = await this.tokens.findById(id, manager);
      if (!token) throw ApiException.notFound('Long-lived token');
      if (!(await this.tokens.revoke(manager, id, now))) return false;
      await this.audit.record(manager, {
        action: 'long_lived_token.admin_revoke',
        actor: principal,
        target: { type: 'long_lived_token', id },
        meta,
        details: {
          name: token.name,
          prefix: token.prefix,
          scope: token.scope,
          user_id: token.userId,
          username: token.user?.username ?? null,
        },
      });
      return true;
    });
    if (revoked) await this.cache.evict({ tokenIds: [id] });
  }
}
