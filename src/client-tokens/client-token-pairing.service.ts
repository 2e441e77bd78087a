import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { RequestMeta } from '../common/request-meta.js';
import type { Principal } from '../auth/principal.js';
import { PrincipalCache } from '../auth/principal-cache.js';
import { TokenCodec } from '../auth/token-codec.js';
import { Clock } from '../common/clock.js';
import { Transactions } from '../common/database/transactions.js';
import { ApiException } from '../common/errors/api.exception.js';
import { RateLimiter } from '../common/rate-limit/rate-limiter.js';
import { clientTokensConfig, type ClientTokensConfig } from './client-tokens.config.js';
import { ClientTokenErrorCode } from './client-token.errors.js';
import { ClientTokensRepository } from './client-tokens.repository.js';
import { ClientTokensService } from './client-tokens.service.js';
import { ClientTokenWithSecretDto, type PairCodeDto } from './dto/client-token.dto.js';
import { formatHumanCode, generateHumanCode, normalizeHumanCode } from '../common/human-code.js';

export const PAIR_CODE_TTL_SECONDS = 60;

function invalidPairCode(): ApiException {
  return new ApiException(
    HttpStatus.BAD_REQUEST,
    ClientTokenErrorCode.InvalidPairCode,
    'The pairing code is invalid, used or expired: ask for a new one',
  );
}

/**
 * Pairing by code, for devices that cannot show a QR code: the owner asks for a short code
 * for one of their tokens and types it on the device, which exchanges it for the token's
 * secret. The exchange rotates the secret (the raw token is never stored, so there is nothing
 * else to hand out), and is one conditional update: of many racing exchanges, one wins.
 */
@Injectable()
export class ClientTokenPairingService {
  constructor(
    private readonly tokens: ClientTokensRepository,
    private readonly clientTokens: ClientTokensService,
    private readonly codec: TokenCodec,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly cache: PrincipalCache,
    private readonly rateLimiter: RateLimiter,
    private readonly clock: Clock,
    @Inject(clientTokensConfig.KEY) private readonly config: ClientTokensConfig,
  ) {}

  /** A new single-use code for the token, replacing any earlier one. */
  async pair(principal: Principal, id: string, meta: RequestMeta): Promise<PairCodeDto> {
    // The code leads to the token's secret, so only a person signed in may ask for one.
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + PAIR_CODE_TTL_SECONDS * 1000);
    const code = await this.transactions.run(async (manager) => {
      const token = await this.clientTokens.findOwnedOrFail(principal, id, manager);
      ClientTokensService.assertActive(token, now, 'paired');
      let code: string;
      // Two live codes must never collide: 20^8 makes a retry all but impossible.
      do code = generateHumanCode();
      while (await this.tokens.findByLivePairCode(this.codec.hash(code), now, manager));
      await this.tokens.setPairCode(manager, id, this.codec.hash(code), expiresAt);
      await this.audit.record(manager, {
        action: 'client_token.pair',
        actor: principal,
        target: { type: 'client_token', id },
        meta,
        details: { name: token.name, expires_at: expiresAt.toISOString() },
      });
      return code;
    });
    return { code: formatHumanCode(code), expires_in: PAIR_CODE_TTL_SECONDS };
  }

  /** Public: the device trades the code for the token's (new) secret. */
  async exchange(rawCode: string, meta: RequestMeta): Promise<ClientTokenWithSecretDto> {
    await this.rateLimiter.consume(
      {
        name: 'client_token.exchange',
        limit: this.config.exchangeRateLimitPerIp,
        windowSeconds: 60,
      },
      meta.ip ?? 'unknown',
    );
    const code = normalizeHumanCode(rawCode);
    if (!code) throw this.refused(meta, 'malformed');
    const codeHash = this.codec.hash(code);
    const now = this.clock.now();
    const issued = this.codec.issue('c');
    const token = await this.transactions.run(async (manager) => {
      const token = await this.tokens.findByLivePairCode(codeHash, now, manager);
      if (!token) throw this.refused(meta, 'unknown_used_or_expired');
      if (!(await this.tokens.replaceSecret(manager, token, issued, now, codeHash))) {
        throw this.refused(meta, 'used_concurrently');
      }
      await this.audit.record(manager, {
        action: 'client_token.exchange',
        actor: { userId: token.userId, username: token.user?.username ?? null },
        target: { type: 'client_token', id: token.id },
        meta,
        details: { name: token.name, old_prefix: token.prefix, new_prefix: issued.prefix },
      });
      return Object.assign(token, {
        prefix: issued.prefix,
        tokenHash: issued.hash,
        rotatedAt: now,
      });
    });
    await this.cache.evict({ tokenIds: [token.id] });
    return ClientTokenWithSecretDto.withSecret(token, now, issued.raw);
  }

  /** A failed exchange is a guess until shown otherwise: audited, aggregated per address. */
  private refused(meta: RequestMeta, reason: string): ApiException {
    this.audit.recordRefusal(meta.ip ?? 'unknown', {
      action: 'client_token.exchange',
      meta,
      details: { reason },
    });
    return invalidPairCode();
  }
}
