import { isIP } from 'node:net';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { AuthRefusals } from '../auth/auth-refusals.js';
import { Transactions } from '../common/database/transactions.js';
import { RateLimiter } from '../common/rate-limit/rate-limiter.js';

/**
 * Refusals that matter to an investigator, recorded without letting a guesser grow the log:
 * every 429, once per limit, key and window (`rate_limit.exceeded`); and a valid token
 * refused on an admin route, once per token and minute (`auth.admin_route_refused`).
 */
@Injectable()
export class RefusalAuditor implements OnModuleInit {
  private readonly logger = new Logger('RateLimitAuditor');

  constructor(
    private readonly rateLimiter: RateLimiter,
    private readonly audit: AuditService,
    private readonly transactions: Transactions,
    private readonly authRefusals: AuthRefusals,
  ) {}

  onModuleInit(): void {
    this.authRefusals.onAdminRouteRefused((refusal) =>
      this.audit.recordRefusal(refusal.principal.tokenId, {
        action: 'auth.admin_route_refused',
        actor: refusal.principal,
        target: { type: 'route', id: `${refusal.method} ${refusal.path}`.slice(0, 64) },
        meta: { ip: refusal.ip, userAgent: refusal.userAgent },
        details: { missing_scopes: refusal.missing },
      }),
    );
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
