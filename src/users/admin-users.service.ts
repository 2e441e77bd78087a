import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { PrincipalCache } from '../auth/principal-cache.js';
import type { Principal } from '../auth/principal.js';
import { TokenKindRegistry } from '../auth/token-kind.registry.js';
import { Clock } from '../common/clock.js';
import { Transactions } from '../common/database/transactions.js';
import { ApiException } from '../common/errors/api.exception.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { decodeCursor, toPage } from '../common/pagination.js';
import type { RequestMeta } from '../common/request-meta.js';
import type { CreateUserDto, UpdateUserDto, UserListQuery } from './dto/admin-user.dto.js';
import { UserDto, type UserPageDto } from './dto/user.dto.js';
import type { User } from './user.entity.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

/**
 * What admins do with accounts: create, list, read, promote, demote, disable, and revoke
 * every credential of a user. Each change commits with its audit event and evicts the
 * user's cached principals, so it applies on the user's very next request.
 */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly rows: UsersRepository,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly cache: PrincipalCache,
    private readonly kinds: TokenKindRegistry,
    private readonly clock: Clock,
  ) {}

  async create(actor: Principal, dto: CreateUserDto, meta: RequestMeta): Promise<UserDto> {
    const user = await this.users.build(dto, dto.role ?? 'user');
    await this.transactions.run(async (manager) => {
      await this.users.insert(manager, user);
      await this.audit.record(manager, {
        action: 'user.create',
        actor,
        target: { type: 'user', id: user.id },
        meta,
        details: { username: user.username, role: user.role },
      });
    });
    return UserDto.from(user);
  }

  async list(query: UserListQuery): Promise<UserPageDto> {
    const limit = query.limit ?? 50;
    const rows = await this.rows.list({
      q: query.q,
      role: query.role,
      after: decodeCursor(query.cursor),
      limit,
    });
    return toPage(rows, limit, (user) => UserDto.from(user));
  }

  async get(id: string): Promise<UserDto> {
    const user = await this.rows.findById(id);
    if (!user) throw ApiException.notFound('User');
    return UserDto.from(user);
  }

  /** Role and disabled changes take effect on the user's very next request. */
  async update(
    actor: Principal,
    id: string,
    dto: UpdateUserDto,
    meta: RequestMeta,
  ): Promise<UserDto> {
    if (dto.role === undefined && dto.disabled === undefined) {
      throw ApiException.badRequest(ErrorCode.ValidationFailed, 'Send role, disabled, or both');
    }
    // Making an admin widens a credential: a token must not do it (it would outlive itself).
    if (dto.role === 'admin' && !this.kinds.isLoginSession(actor)) {
      throw ApiException.loginSessionRequired('make someone an admin');
    }
    if (id === actor.user.id && (dto.disabled === true || dto.role === 'user')) {
      throw ApiException.forbidden(
        ErrorCode.Forbidden,
        'You cannot disable or demote yourself; ask another admin',
      );
    }
    const now = this.clock.now();
    const updated = await this.transactions.run(async (manager) => {
      const user = await this.rows.findById(id, manager);
      if (!user) throw ApiException.notFound('User');
      const patch: Partial<User> = {};
      const changes: Record<string, unknown> = {};
      if (dto.role !== undefined && dto.role !== user.role) {
        patch.role = dto.role;
        changes.role = { from: user.role, to: dto.role };
      }
      if (dto.disabled !== undefined && dto.disabled !== (user.disabledAt !== null)) {
        patch.disabledAt = dto.disabled ? now : null;
        changes.disabled = dto.disabled;
      }
      if (Object.keys(patch).length === 0) return user;
      patch.updatedAt = now;
      await this.rows.update(manager, id, patch);
      await this.audit.record(manager, {
        action: dto.disabled === true ? 'user.disable' : 'user.update',
        actor,
        target: { type: 'user', id },
        meta,
        details: { username: user.username, ...changes },
      });
      return Object.assign(user, patch);
    });
    await this.cache.evict({ userIds: [id] });
    return UserDto.from(updated);
  }

  /** Revokes every session and token of a user, in one transaction. */
  async revokeAllTokens(
    actor: Principal,
    id: string,
    meta: RequestMeta,
  ): Promise<{ revoked: number }> {
    const now = this.clock.now();
    const revoked = await this.transactions.run(async (manager) => {
      const user = await this.rows.findById(id, manager);
      if (!user) throw ApiException.notFound('User');
      const ids = await this.users.revokeEveryToken(manager, id, now);
      await this.audit.record(manager, {
        action: 'user.revoke_tokens',
        actor,
        target: { type: 'user', id },
        meta,
        details: { username: user.username, revoked: ids.length },
      });
      return ids.length;
    });
    await this.cache.evict({ userIds: [id] });
    return { revoked };
  }
}
