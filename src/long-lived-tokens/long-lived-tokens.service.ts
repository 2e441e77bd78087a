import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { RequestMeta } from '../common/request-meta.js';
import type { Principal } from '../auth/principal.js';
import { PrincipalCache } from '../auth/principal-cache.js';
import { TokenCodec } from '../auth/token-codec.js';
import { Clock } from '../common/clock.js';
import { Transactions } from '../common/database/transactions.js';
import { ApiException } from '../common/errors/api.exception.js';
import { decodeCursor, toPage } from '../common/pagination.js';
import { UsersService } from '../users/users.service.js';
import type {
  CreateLongLivedTokenDto,
  LongLivedTokenListQuery,
} from './dto/long-lived-token-request.dto.js';
import {
  LongLivedTokenDto,
  type LongLivedTokenOptionsDto,
  type LongLivedTokenPageDto,
  type LongLivedTokenWithSecretDto,
} from './dto/long-lived-token.dto.js';
import { LongLivedToken } from './long-lived-token.entity.js';
import { LongLivedTokenPolicy } from './long-lived-token.policy.js';
import { LongLivedTokensRepository } from './long-lived-tokens.repository.js';
import { newRowId } from '../common/row-id.js';

/** Database datetimes keep whole seconds on MySQL: keep them so everywhere. */
function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/**
 * Long-lived tokens (`pgl_`): one read-only scope, a required expiry, created only from a
 * login session. Every change runs in one transaction with its audit event, and evicts the
 * cached principal after the commit so a revoked token fails on its very next request.
 */
@Injectable()
export class LongLivedTokensService implements OnModuleInit {
  constructor(
    private readonly tokens: LongLivedTokensRepository,
    private readonly policy: LongLivedTokenPolicy,
    private readonly codec: TokenCodec,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly cache: PrincipalCache,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // The admin "revoke every token of this user" runs this inside its transaction and
    // evicts the user's principals after its commit.
    this.users.onRevokeAllTokens((manager, userId, now) =>
      this.tokens.revokeAllForUser(manager, userId, now),
    );
  }

  options(principal: Principal): LongLivedTokenOptionsDto {
    return {
      scopes: this.policy
        .grantableScopes(principal.user.role)
        .map(({ name, description }) => ({ name, description })),
      default_scope: this.policy.defaultScope(),
      max_days: this.policy.maxDays,
    };
  }

  async create(
    principal: Principal,
    dto: CreateLongLivedTokenDto,
    meta: RequestMeta,
  ): Promise<LongLivedTokenWithSecretDto> {
    const scope = this.policy.assertGrantable(dto.scope, principal.user.role);
    const now = wholeSeconds(this.clock.now());
    const { expiresAt, clamped } = this.policy.expiry(dto.expires_in_days, scope, now);
    const issued = this.codec.issue('l');
    const token = Object.assign(new LongLivedToken(), {
      id: newRowId(),
      userId: principal.user.id,
      name: dto.name,
      prefix: issued.prefix,
      tokenHash: issued.hash,
      scope,
      expiresAt: wholeSeconds(expiresAt),
      lastUsedAt: null,
      lastUsedIp: null,
      revokedAt: null,
      createdAt: now,
    });
    await this.transactions.run(async (manager) => {
      await this.tokens.insert(manager, token);
      await this.audit.record(manager, {
        action: 'long_lived_token.create',
        actor: principal,
        target: { type: 'long_lived_token', id: token.id },
        meta,
        details: {
          name: token.name,
          prefix: token.prefix,
          scope,
          expires_at: token.expiresAt.toISOString(),
          ...(clamped ? { expiry_clamped: true } : {}),
        },
      });
    });
    return Object.assign(LongLivedTokenDto.from(token, now), { access_token: issued.raw });
  }

  async list(principal: Principal, query: LongLivedTokenListQuery): Promise<LongLivedTokenPageDto> {
    const limit = query.limit ?? 50;
    const now = this.clock.now();
    const rows = await this.tokens.list({
      userId: principal.user.id,
      status: query.status,
      q: query.q,
      after: decodeCursor(query.cursor),
      limit,
      now,
    });
    return toPage(rows, limit, (token) => LongLivedTokenDto.from(token, now));
  }

  async get(principal: Principal, id: string): Promise<LongLivedTokenDto> {
    return LongLivedTokenDto.from(await this.findOwnedOrFail(principal, id), this.clock.now());
  }

  /** Idempotent: revoking a revoked token changes nothing and records nothing. */
  async revoke(principal: Principal, id: string, meta: RequestMeta): Promise<void> {
    const now = this.clock.now();
    const revoked = await this.transactions.run(async (manager) => {
      const token = await this.findOwnedOrFail(principal, id, manager);
      if (!(await this.tokens.revoke(manager, id, now))) return false;
      await this.audit.record(manager, {
        action: 'long_lived_token.revoke',
        actor: principal,
        target: { type: 'long_lived_token', id },
        meta,
        details: { name: token.name, prefix: token.prefix, scope: token.scope },
      });
      return true;
    });
    if (revoked) await this.cache.evict({ tokenIds: [id] });
  }

  /** Another user's token answers exactly like a missing one. */
  private async findOwnedOrFail(
    principal: Principal,
    id: string,
    manager?: EntityManager,
  ): Promise<LongLivedToken> {
    const token = await this.tokens.findById(id, manager);
    if (!token || token.userId !== principal.user.id) {
      throw ApiException.notFound('Long-lived token');
    }
    return token;
  }
}
