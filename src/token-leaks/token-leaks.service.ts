import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { PrincipalCache } from '../auth/principal-cache.js';
import { TokenLookup } from '../auth/token-lookup.js';
import { Clock } from '../common/clock.js';
import { Transactions } from '../common/database/transactions.js';
import { RateLimiter } from '../common/rate-limit/rate-limiter.js';
import type { RequestMeta } from '../common/request-meta.js';
import type { TokenLeakReceiptDto, TokenLeakReportDto } from './dto/token-leak.dto.js';
import { tokenLeaksConfig, type TokenLeaksConfig } from './token-leaks.config.js';

/**
 * What GitHub and npm do with a token found in public: each reported string with a pairgate
 * prefix and a valid checksum that is a live token of any kind is revoked at once, with an
 * event in the audit log and in its owner's security log naming where it was found. The
 * answer never depends on what matched.
 */
@Injectable()
export class TokenLeaksService {
  constructor(
    private readonly lookup: TokenLookup,
    private readonly principals: PrincipalCache,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly rateLimiter: RateLimiter,
    private readonly clock: Clock,
    @Inject(tokenLeaksConfig.KEY) private readonly config: TokenLeaksConfig,
  ) {}

  async report(dto: TokenLeakReportDto, meta: RequestMeta): Promise<TokenLeakReceiptDto> {
    await this.rateLimiter.consume(
      { name: 'token_leaks.ip', limit: this.config.perIp, windowSeconds: 60 },
      meta.ip ?? 'unknown',
    );
    const revoked: string[] = [];
    for (const raw of new Set(dto.tokens.map((token) => token.trim()))) {
      const handler = this.lookup.handlerOf(raw);
      if (!handler?.revoke) continue;
      const now = this.clock.now();
      const resolved = await this.lookup.resolve(handler, raw, now);
      if (!resolved) continue;
      const { principal } = resolved;
      const done = await this.transactions.run(async (manager) => {
        if (!(await handler.revoke!(manager, principal.tokenId, now))) return false;
        await this.audit.record(manager, {
          action: 'token.leak_revoked',
          target: { type: 'user', id: principal.user.id },
          meta,
          details: {
            token_kind: principal.kind,
            token_id: principal.tokenId,
            found_at: dto.url ?? null,
          },
        });
        return true;
      });
      if (done) revoked.push(principal.tokenId);
    }
    if (revoked.length > 0) await this.principals.evict({ tokenIds: revoked });
    return { received: dto.tokens.length };
  }
}
