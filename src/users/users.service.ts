import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LoginThrottle } from './login-throttle.js';
import { AuditService } from '../audit/audit.service.js';
import type { RequestMeta } from '../common/request-meta.js';
import type { Principal } from '../auth/principal.js';
import { PrincipalCache } from '../auth/principal-cache.js';
import { Clock } from '../common/clock.js';
import { Transactions } from '../common/database/transactions.js';
import { ApiException } from '../common/errors/api.exception.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { decodeCursor, toPage } from '../common/pagination.js';
import type { CreateUserDto, UpdateUserDto, UserListQuery } from './dto/admin-user.dto.js';
import type { NewUserFields } from './dto/credentials.dto.js';
import { UserDto, type UserPageDto } from './dto/user.dto.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionsRepository } from './sessions.repository.js';
import { User } from './user.entity.js';
import { UsersRepository } from './users.repository.js';
import { TokenKindRegistry } from '../auth/token-kind.registry.js';

/** Hooks other modules register to act when a user's tokens must all die. */
export type UserRevocationHook = (
  manager: EntityManager,
  userId: string,
  now: Date,
) => Promise<string[]>;

@Injectable()
export class UsersService {
  private readonly revocationHooks: UserRevocationHook[] = [];

  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly cache: PrincipalCache,
    private readonly clock: Clock,
    private readonly loginThrottle: LoginThrottle,
    private readonly kinds: TokenKindRegistry,
  ) {}

  /** Token modules register how to revoke every token of a user (admin "revoke all"). */
  onRevokeAllTokens(hook: UserRevocationHook): void {
    this.revocationHooks.push(hook);
  }

  findById(id: string): Promise<User | null> {
    return this.users.findById(id);
  }

  findByUsername(username: string): Promise<User | null> {
    return this.users.findByUsername(username);
  }

  hasActiveAdmin(): Promise<boolean> {
    return this.users.hasActiveAdmin();
  }

  /** Builds (but does not save) a user; the caller inserts it in its transaction. */
  async build(fields: NewUserFields, role: 'admin' | 'user'): Promise<User> {
    const now = this.clock.now();
    return Object.assign(new User(), {
      id: randomUUID(),
      username: fields.username,
      email: fields.email ?? null,
      passwordHash: await this.hasher.hash(fields.password),
      role,
      disabledAt: null,
      createdAt: now,
      updatedAt: now,
    });
  }

  async insert(manager: EntityManager, user: User): Promise<void> {
    if (await manager.getRepository(User).existsBy({ username: user.username })) {
      throw ApiException.conflict(`The username "${user.username}" is taken`);
    }
    await this.users.insert(manager, user);
  }

  async create(actor: Principal, dto: CreateUserDto, meta: RequestMeta): Promise<UserDto> {
    const user = await this.build(dto, dto.role ?? 'user');
    await this.transactions.run(async (manager) => {
      await this.insert(manager, user);
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
    const rows = await this.users.list({
      q: query.q,
      role: query.role,
      after: decodeCursor(query.cursor),
      limit,
    });
    return toPage(rows, limit, (user) => UserDto.from(user));
  }

  async get(id: string): Promise<UserDto> {
    const user = await this.users.findById(id);
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
      const user = await this.users.findById(id, manager);
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
      await this.users.update(manager, id, patch);
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
      const user = await this.users.findById(id, manager);
      if (!user) throw ApiException.notFound('User');
      const ids = await this.sessions.revokeAllForUser(manager, id, now);
      for (const hook of this.revocationHooks) ids.push(...(await hook(manager, id, now)));
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

  /** Changes the caller's password and signs out every other session. */
  async changePassword(
    principal: Principal,
    currentPassword: string,
    newPassword: string,
    meta: RequestMeta,
  ): Promise<void> {
    // Guessing the current password from a stolen session is login guessing: same limits.
    await this.loginThrottle.admit(principal.user.username, meta.ip);
    const user = await this.users.findById(principal.user.id);
    if (!user || !(await this.hasher.verify(user.passwordHash, currentPassword))) {
      await this.loginThrottle.failed(principal.user.username, meta.ip);
      await this.transactions.run((manager) =>
        this.audit.record(manager, {
          action: 'user.password_change',
          outcome: 'failure',
          actor: principal,
          target: { type: 'user', id: principal.user.id },
          meta,
          details: { reason: 'wrong_current_password' },
        }),
      );
      throw new ApiException(
        HttpStatus.BAD_REQUEST,
        ErrorCode.InvalidCredentials,
        'current_password is not your current password',
      );
    }
    const passwordHash = await this.hasher.hash(newPassword);
    const now = this.clock.now();
    const revoked = await this.transactions.run(async (manager) => {
      await this.users.update(manager, user.id, { passwordHash, updatedAt: now });
      const ids = await this.sessions.revokeAllForUser(manager, user.id, now, principal.tokenId);
      await this.audit.record(manager, {
        action: 'user.password_change',
        actor: principal,
        target: { type: 'user', id: user.id },
        meta,
        details: { other_sessions_revoked: ids.length },
      });
      return ids;
    });
    await this.cache.evict({ tokenIds: revoked });
  }
}
