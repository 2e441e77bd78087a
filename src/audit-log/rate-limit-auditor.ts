import { isIP } from 'node:net';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { Transactions } from '../common/database/transactions.js';
import { RateLimiter } from '../common/rate-limit/rate-limiter.js';

/**
 * Every 429 matters to an investigator (a guesser, a flood), but one event per refused
 * request would let the guesser grow the log: each limit, key and window is recorded once,
 * as `rate_limit.exceeded`, at the first refusal.
 */
@Injectable()
export class RateLimitAuditor implements OnModuleInit {
  private readonly logger = new Logger('RateLimitAuditor');

  constructor(
    private readonly rateLimiter: RateLimiter,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
  ) {}

  onModuleInit(): void {
    this.rateLimiter.onExceeded((limit, key, windowEndsMs) => {
      void this.transactions
        .run((manager) =>
          this.audit.record(manager, {
            action: 'rate_limit.exceeded',
            outcome: 'denied',
            target: { type: 'rate_limit', id: limit.name },
            meta: { ip: isIP(key) ? key : null, userAgent: null },
            details: {
              limit: limit.name,
              key: key.slice(0, 128),
              max: limit.limit,
              window_seconds: limit.windowSeconds,
              until: new Date(windowEndsMs).toISOString(),
            },
          }),
        )
        .catch((err: unknown) =>
          this.logger.warn(`could not audit a rate limit: ${(err as Error).message}`),
        );
    });
  }
}
