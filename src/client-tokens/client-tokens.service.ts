import { HttpStatus, Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService, type AuditedRow } from '../audit/audit.service.js';
import type { RequestMeta } from '../common/request-meta.js';
import type { Principal } from '../auth/principal.js';
import { PrincipalCache } from '../auth/principal-cache.js';
import { TokenCodec } from '../auth/token-codec.js';
import { Clock } from '../common/clock.js';
import type { GroupCommit } from '../common/database/group-commit.js';
import { Transactions } from '../common/database/transactions.js';
import { ApiException } from '../common/errors/api.exception.js';
import { decodeCursor, toPage } from '../common/pagination.js';
import { UsersService } from '../users/users.service.js';
import type { ClientToken } from './client-token.entity.js';
import { newClientToken } from './new-client-token.js';
import { ClientTokenErrorCode } from './client-token.errors.js';
import { ClientTokenPolicy } from './client-token.policy.js';
import { ClientTokensRepository } from './client-tokens.repository.js';
import type {
  ClientTokenListQuery,
  CreateClientTokenDto,
  UpdateClientTokenDto,
} from './dto/client-token-request.dto.js';
import {
  ClientTokenDto,
  type ClientTokenOptionsDto,
  type ClientTokenPageDto,
  ClientTokenWithSecretDto,
} from './dto/client-token.dto.js';
import { TokenKindRegistry } from '../auth/token-kind.registry.js';
import { CLIENT_TOKEN_KIND } from './client-token.kind.js';

/**
 * Client tokens (`pgc_`, personal access tokens): what a user gives an app or a device.
 * Every change runs in one transaction with its audit event, and evicts cached principals
 * after the commit so a revoked or rotated-away secret fails on its very next request.
 */
@Injectable()
export class ClientTokensService implements OnModuleInit {
  /** Creations that arrive together share one transaction, each with its own event. */
  private readonly creations: GroupCommit<AuditedRow<ClientToken>>;

  constructor(
    private readonly tokens: ClientTokensRepository,
    private readonly policy: ClientTokenPolicy,
    private readonly codec: TokenCodec,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly cache: PrincipalCache,
    private readonly kinds: TokenKindRegistry,
    private readonly clock: Clock,
  ) {
    this.creations = audit.groupCommit((manager, rows) => tokens.insertMany(manager, rows));
  }

  options(principal: Principal): ClientTokenOptionsDto {
    return {
      scopes: this.policy.grantableScopes(principal.user.role).map((scope) => ({
        name: scope.name,
        description: scope.description,
        max_ttl_seconds: scope.maxTtlSeconds ?? null,
      })),
      max_days: this.policy.maxDays,
    };
  }

  onModuleInit(): void {
    this.users.onRevokeAllTokens((manager, userId, now) =>
      this.tokens.revokeAllForUser(manager, userId, now),
    );
  }

  async create(
    principal: Principal,
    dto: CreateClientTokenDto,
    meta: RequestMeta,
  ): Promise<ClientTokenWithSecretDto> {
    const scopes = this.policy.assertGrantable(dto.scopes, principal.user.role);
    const now = this.clock.now();
    const requested = this.policy.requestedExpiry(dto, now);
    const expiresAt = this.policy.clampExpiry(requested, scopes, now);
    const { token, raw } = newClientToken(
      this.codec.issue('c'),
      { userId: principal.user.id, deviceId: null, name: dto.name, scopes, expiresAt },
      now,
    );
    await this.creations.submit({
      row: token,
      audit: {
        action: 'client_token.create',
        actor: principal,
        target: { type: 'client_token', id: token.id },
        meta,
        details: {
          name: token.name,
          prefix: token.prefix,
          scopes,
          expires_at: expiresAt?.toISOString() ?? null,
          ...(requested?.getTime() !== expiresAt?.getTime() ? { expiry_clamped: true } : {}),
        },
      },
    });
    return ClientTokenWithSecretDto.withSecret(token, now, raw);
  }

  async list(principal: Principal, query: ClientTokenListQuery): Promise<ClientTokenPageDto> {
    const limit = query.limit ?? 50;
    const now = this.clock.now();
    const rows = await this.tokens.list({
      userId: principal.user.id,
      deviceId: query.device_id,
      status: query.status,
      q: query.q,
      after: decodeCursor(query.cursor),
      limit,
      now,
    });
    return toPage(rows, limit, (token) => ClientTokenDto.from(token, now));
  }

  async get(principal: Principal, id: string): Promise<ClientTokenDto> {
    return ClientTokenDto.from(await this.findOwnedOrFail(principal, id), this.clock.now());
  }

  async rename(
    principal: Principal,
    id: string,
    dto: UpdateClientTokenDto,
    meta: RequestMeta,
  ): Promise<ClientTokenDto> {
    const token = await this.transactions.run(async (manager) => {
      const token = await this.findOwnedOrFail(principal, id, manager);
      if (token.name === dto.name) return token;
      await this.tokens.rename(manager, id, dto.name);
      await this.audit.record(manager, {
        action: 'client_token.rename',
        actor: principal,
        target: { type: 'client_token', id },
        meta,
        details: { from: token.name, to: dto.name },
      });
      return Object.assign(token, { name: dto.name });
    });
    return ClientTokenDto.from(token, this.clock.now());
  }

  /** Idempotent: revoking a revoked token changes nothing and records nothing. */
  async revoke(principal: Principal, id: string, meta: RequestMeta): Promise<void> {
    const now = this.clock.now();
    const revoked = await this.transactions.run(async (manager) => {
      const token = await this.findOwnedOrFail(principal, id, manager);
      if (!(await this.tokens.revoke(manager, id, now))) return false;
      await this.audit.record(manager, {
        action: 'client_token.revoke',
        actor: principal,
        target: { type: 'client_token', id },
        meta,
        details: { name: token.name, prefix: token.prefix, device_id: token.deviceId },
      });
      return true;
    });
    if (revoked) await this.cache.evict({ tokenIds: [id] });
  }

  /**
   * A new secret for the same token (id, scopes, device, expiry); the old one fails at once.
   * A login session may rotate any of its user's tokens; a client token only itself, since
   * rotating another would hand it that token's secret.
   */
  async rotate(
    principal: Principal,
    id: string,
    meta: RequestMeta,
  ): Promise<ClientTokenWithSecretDto> {
    // Tokens spawn no tokens: only a person signed in may reveal another token's secret.
    const self = principal.kind === CLIENT_TOKEN_KIND && principal.tokenId === id;
    if (!self && !this.kinds.isLoginSession(principal)) {
      throw ApiException.loginSessionRequired("rotate another token's secret");
    }
    const now = this.clock.now();
    const issued = this.codec.issue('c');
    const token = await this.transactions.run(async (manager) => {
      const token = await this.findOwnedOrFail(principal, id, manager);
      ClientTokensService.assertActive(token, now, 'rotated');
      if (!(await this.tokens.replaceSecret(manager, token, issued, now))) {
        throw ApiException.conflict('The token changed while rotating it: reload and try again');
      }
      await this.audit.record(manager, {
        action: 'client_token.rotate',
        actor: principal,
        target: { type: 'client_token', id },
        meta,
        details: { name: token.name, old_prefix: token.prefix, new_prefix: issued.prefix },
      });
      return Object.assign(token, {
        prefix: issued.prefix,
        tokenHash: issued.hash,
        rotatedAt: now,
      });
    });
    await this.cache.evict({ tokenIds: [id] });
    return ClientTokenWithSecretDto.withSecret(token, now, issued.raw);
  }

  /** Another user's token is "not found", never "forbidden": no existence oracle. */
  async findOwnedOrFail(
    principal: Principal,
    id: string,
    manager?: EntityManager,
  ): Promise<ClientToken> {
    const token = await this.tokens.findById(id, manager);
    if (!token || token.userId !== principal.user.id) throw ApiException.notFound('Client token');
    return token;
  }

  static assertActive(token: ClientToken, now: Date, verb: string): void {
    const status = ClientTokenDto.statusOf(token, now);
    if (status !== 'active') {
      throw new ApiException(
        HttpStatus.CONFLICT,
        ClientTokenErrorCode.TokenNotActive,
        `The token is ${status} and cannot be ${verb}`,
      );
    }
  }
}
