import { randomUUID } from 'node:crypto';
import { HttpStatus, Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditService, type RequestMeta } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { PrincipalCache } from '../auth/principal-cache.js';
import { ScopeRegistry } from '../auth/scope.registry.js';
import { TokenCodec } from '../auth/token-codec.js';
import {
  type ResolvedToken,
  type TokenKindHandler,
  TokenKindRegistry,
} from '../auth/token-kind.registry.js';
import { Clock } from '../common/clock.js';
import { Transactions } from '../common/database/transactions.js';
import { ApiException } from '../common/errors/api.exception.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { appConfig, type AppConfig } from '../config/app.config.js';
import type { LoginDto } from './dto/credentials.dto.js';
import type { LoginResponseDto } from './dto/login-response.dto.js';
import { UserDto } from './dto/user.dto.js';
import { PasswordHasher } from './password-hasher.js';
import { LoginThrottle } from './login-throttle.js';
import { Session } from './session.entity.js';
import { SessionsRepository } from './sessions.repository.js';
import { UsersService } from './users.service.js';

/**
 * Login sessions: the first token kind (`pgs_`). A session holds every scope its user may
 * hold, so it is what a person uses in the console and what may mint other tokens.
 */
@Injectable()
export class SessionsService implements TokenKindHandler, OnModuleInit {
  readonly letter = 's' as const;
  readonly kind = 'session' as const;

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly codec: TokenCodec,
    private readonly kinds: TokenKindRegistry,
    private readonly scopes: ScopeRegistry,
    private readonly cache: PrincipalCache,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly loginThrottle: LoginThrottle,
    private readonly clock: Clock,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.kinds.register(this);
  }

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
      id: randomUUID(),
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

  rehash(tokenId: string, fromHash: string, toHash: string): Promise<void> {
    return this.sessions.replaceHash(tokenId, fromHash, toHash);
  }

  async resolve(hash: string, now: Date): Promise<ResolvedToken | null> {
    const found = await this.sessions.findActiveByHash(hash, now);
    if (!found) return null;
    const { session, user } = found;
    return {
      principal: {
        user: UsersService.toPrincipalUser(user),
        kind: 'session',
        tokenId: session.id,
        scopes: this.scopes.allowedFor(user.role),
        deviceId: null,
      },
      expiresAt: session.expiresAt,
    };
  }

  touch(tokenId: string, ip: string, now: Date, threshold: Date): Promise<void> {
    return this.sessions.touch(tokenId, ip, now, threshold);
  }
}
