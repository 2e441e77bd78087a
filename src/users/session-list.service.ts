import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { PrincipalCache } from '../auth/principal-cache.js';
import { Clock } from '../common/clock.js';
import { Transactions } from '../common/database/transactions.js';
import { ApiException } from '../common/errors/api.exception.js';
import { decodeCursor, toPage } from '../common/pagination.js';
import type { RequestMeta } from '../common/request-meta.js';
import {
  AdminSessionDto,
  type AdminSessionListQuery,
  type AdminSessionPageDto,
  type SessionListQuery,
  type SessionPageDto,
  SessionDto,
} from './dto/session.dto.js';
import { SessionsRepository } from './sessions.repository.js';

/**
 * Live login sessions: a person's own (GitHub's "Sessions" page) and everyone's for admins;
 * ending one is immediate (evicted from the principal cache after the commit).
 */
@Injectable()
export class SessionListService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly cache: PrincipalCache,
    private readonly clock: Clock,
  ) {}

  async listMine(principal: Principal, query: SessionListQuery): Promise<SessionPageDto> {
    const limit = query.limit ?? 50;
    const rows = await this.sessions.listLive({
      userId: principal.user.id,
      q: query.q,
      after: decodeCursor(query.cursor),
      limit,
      now: this.clock.now(),
    });
    return toPage(rows, limit, (s) => SessionDto.from(s, currentSession(principal)));
  }

  async list(principal: Principal, query: AdminSessionListQuery): Promise<AdminSessionPageDto> {
    const limit = query.limit ?? 50;
    const rows = await this.sessions.listLive({
      userId: query.user_id,
      q: query.q,
      after: decodeCursor(query.cursor),
      limit,
      now: this.clock.now(),
    });
    return toPage(rows, limit, (s) => AdminSessionDto.fromWithOwner(s, currentSession(principal)));
  }

  /** Ends one of your own sessions; someone else's is a 404. Idempotent. */
  revokeMine(principal: Principal, id: string, meta: RequestMeta): Promise<void> {
    return this.revoke(principal, id, meta, 'session.revoke', principal.user.id);
  }

  /** Ends anyone's session. Idempotent. */
  revokeAny(principal: Principal, id: string, meta: RequestMeta): Promise<void> {
    return this.revoke(principal, id, meta, 'session.admin_revoke');
  }

  private async revoke(
    principal: Principal,
    id: string,
    meta: RequestMeta,
    action: string,
    ownerId?: string,
  ): Promise<void> {
    const now = this.clock.now();
    const revoked = await this.transactions.run(async (manager) => {
      const session = await this.sessions.findById(id, manager);
      if (!session || (ownerId && session.userId !== ownerId))
        throw ApiException.notFound('Session');
      if (!(await this.sessions.revoke(manager, id, now))) return false;
      await this.audit.record(manager, {
        action,
        actor: principal,
        target: { type: 'session', id },
        meta,
        details: { user_id: session.userId, prefix: session.prefix },
      });
      return true;
    });
    if (revoked) await this.cache.evict({ tokenIds: [id] });
  }
}

function currentSession(principal: Principal): string | null {
  return principal.kind === 'session' ? principal.tokenId : null;
}
