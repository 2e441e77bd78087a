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
import type { NewUserFields } from './dto/credentials.dto.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionsRepository } from './sessions.repository.js';
import { User } from './user.entity.js';
import { UsersRepository } from './users.repository.js';
import { newRowId } from '../common/row-id.js';

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
  ) {}

  /** Token modules register how to revoke every token of a user (admin "revoke all"). */
  onRevokeAllTokens(hook: UserRevocationHook): void {
    this.revocationHooks.push(hook);
  }

  /** Every session and token of a user, revoked in the caller's transaction; their ids. */
  async revokeEveryToken(manager: EntityManager, userId: string, now: Date): Promise<string[]> {
    const ids = await this.sessions.revokeAllForUser(manager, userId, now);
    for (const hook of this.revocationHooks) ids.push(...(await hook(manager, userId, now)));
    return ids;
  }

  findById(id: string): Promise<User | null> {
    return this.users.findById(id);
  }

  findByUsername(username: string): Promise<User | null> {
    return this.users.findByUsername(username);
  }

  countByState(): Promise<{ total: number; admins: number; disabled: number }> {
    return this.users.countByState();
  }

  hasActiveAdmin(): Promise<boolean> {
    return this.users.hasActiveAdmin();
  }

  /** Builds (but does not save) a user; the caller inserts it in its transaction. */
  async build(fields: NewUserFields, role: 'admin' | 'user'): Promise<User> {
    const now = this.clock.now();
    return Object.assign(new User(), {
      id: newRowId(),
      username: fields.username,
      email: fields.email ?? null,
      passwordHash: await this.hasher.hash(fields.password),
      role,
      disabledAt: null,
      createdAt: now,
      updatedAt: now,
    });
  }

  /** Inserts a built user in the caller's transaction; 409 when the username is taken. */
  async insert(manager: EntityManager, user: User): Promise<void> {
    if (await manager.getRepository(User).existsBy({ username: user.username })) {
      throw ApiException.conflict(`The username "${user.username}" is taken`);
    }
    await this.users.insert(manager, user);
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
