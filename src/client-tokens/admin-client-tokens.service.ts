import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { RequestMeta } from '../common/request-meta.js';
import type { Principal } from '../auth/principal.js';
import { PrincipalCache } from '../auth/principal-cache.js';
import { Clock } from '../common/clock.js';
import { Transactions } from '../common/database/transactions.js';
import { ApiException } from '../common/errors/api.exception.js';
import { decodeCursor, toPage } from '../common/pagination.js';
import { ClientTokensRepository } from './client-tokens.repository.js';
import type { AdminClientTokenListQuery } from './dto/client-token-request.dto.js';
import { AdminClientTokenDto, type AdminClientTokenPageDto } from './dto/client-token.dto.js';

/** Every user's client tokens, for admins: find them and revoke them. */
@Injectable()
export class AdminClientTokensService {
  constructor(
    private readonly tokens: ClientTokensRepository,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly cache: PrincipalCache,
    private readonly clock: Clock,
  ) {}

  async list(query: AdminClientTokenListQuery): Promise<AdminClientTokenPageDto> {
    const limit = query.limit ?? 50;
    const now = this.clock.now();
    const rows = await this.tokens.list({
      userId: query.user_id,
      deviceId: query.device_id,
      status: query.status,
      q: query.q,
      after: decodeCursor(query.cursor),
      limit,
      now,
    });
    return toPage(rows, limit, (token) => AdminClientTokenDto.fromWithOwner(token, now));
  }

  async get(id: string): Promise<AdminClientTokenDto> {
    const token = await this.tokens.findById(id);
    if (!token) throw ApiException.notFound('Client token');
    return AdminClientTokenDto.fromWithOwner(token, this.clock.now());
  }

  /** Idempotent: revoking a revoked token changes nothing and records nothing. */
  async revoke(actor: Principal, id: string, meta: RequestMeta): Promise<void> {
    const now = this.clock.now();
    const revoked = await this.transactions.run(async (manager) => {
      const token = await this.tokens.findById(id, manager);
      if (!token) throw ApiException.notFound('Client token');
      if (!(await this.tokens.revoke(manager, id, now))) return false;
      await this.audit.record(manager, {
        action: 'client_token.admin_revoke',
        actor,
        target: { type: 'client_token', id },
        meta,
        details: {
          user_id: token.userId,
          username: token.user?.username ?? null,
          name: token.name,
          prefix: token.prefix,
          device_id: token.deviceId,
        },
      });
      return true;
    });
    if (revoked) await this.cache.evict({ tokenIds: [id] });
  }
}
