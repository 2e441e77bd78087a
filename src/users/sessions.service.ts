import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { RequestMeta } from '../common/request-meta.js';
import type { Principal } from '../auth/principal.js';
import { PrincipalCache } from '../auth/principal-cache.js';
import { TokenCodec } from '../auth/token-codec.js';
import { Clock } from '../common/clock.js';
import { Transactions } from '../common/database/transactions.js';
import { ApiException } from '../common/errors/api.exception.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { usersConfig, type UsersConfig } from './users.config.js';
import type { LoginDto } from './dto/credentials.dto.js';
import type { LoginResponseDto } from './dto/login-response.dto.js';
import { UserDto } from './dto/user.dto.js';
import { PasswordHasher } from './password-hasher.js';
import { LoginThrottle } from './login-throttle.js';
import { Session } from './session.entity.js';
import { SessionsRepository } from './sessions.repository.js';
import { UsersService } from './users.service.js';
import { newRowId } from '../common/row-id.js';

/**
 * Login and logout. The session token kind (`pgs_`) the guard resolves is SessionKind.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly codec: TokenCodec,
    private readonly cache: PrincipalCache,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly loginThrottle: LoginThrottle,
    private readonly clock: Clock,
    @Inject(usersConfig.KEY) private readonly config: UsersConfig,
  ) {}

  async login(dto: LoginDto, meta: RequestMeta): Promise<LoginResponseDto> {
    await this.loginThrottle.admit(dto.username, meta.ip);

    const user = await this.users.findByUsername(dto.username);
    // The password is verified even for an unknown user, against a dummy hash, so a wrong
    // username and a wrong password take the same time and get the same answer.
    const passwordOk = await this.hasher.verify(user?.passwordHash ?? null, dto.password);
    if (!user || !passwordOk || user.disabledAt) {
      const reason = !user ? 'unknown_user' : !passwordOk ? 'wrong_password' : 'user_disabled';
      await this.loginThrottle.failed(dto.username, meta.ip);
      await this.transactions.run((manager) =>
        this.audit.record(manager, {
          action: 'auth.login',
          outcome: 'failure',
          actor: user ? { userId: user.id, username: user.username } : null,
          meta,
          details: { username: dto.username, reason },
        }),
      );
      throw new ApiException(
        HttpStatus.UNAUTHORIZED,
        ErrorCode.InvalidCredentials,
        'Wrong username or password',
      );
    }

    const now = this.clock.now();
    const token = this.codec.issue('s');
    const session = Object.assign(new Session(), {
      id: newRowId(),
      userId: user.id,
      prefix: token.prefix,
      tokenHash: token.hash,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.sessions.ttlSeconds * 1000),
      lastUsedAt: now,
      lastUsedIp: meta.ip,
      userAgent: meta.userAgent,
      revokedAt: null,
    });
    await this.transactions.run(async (manager) => {
      await this.sessions.insert(manager, session);
      await this.audit.record(manager, {
        action: 'auth.login',
        actor: { userId: user.id, username: user.username },
        target: { type: 'session', id: session.id },
        meta,
      });
    });
    return {
      access_token: token.raw,
      token_type: 'Bearer',
      expires_in: this.config.sessions.ttlSeconds,
      user: UserDto.from(user),
    };
  }

  async logout(principal: Principal, meta: RequestMeta): Promise<void> {
    await this.transactions.run(async (manager) => {
      await this.sessions.revoke(manager, principal.tokenId, this.clock.now());
      await this.audit.record(manager, {
        action: 'auth.logout',
        actor: principal,
        target: { type: 'session', id: principal.tokenId },
        meta,
      });
    });
    await this.cache.evict({ tokenIds: [principal.tokenId] });
  }
}
