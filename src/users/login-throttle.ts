import { Inject, Injectable } from '@nestjs/common';
import { type RateLimit, RateLimiter } from '../common/rate-limit/rate-limiter.js';
import { usersConfig, type UsersConfig } from './users.config.js';

/**
 * Login guessing limits that do not lock the owner out.
 *
 * - Every attempt from an address counts against LOGIN_RATE_LIMIT_PER_IP (password spraying).
 * - Failures count per (username, address): LOGIN_RATE_LIMIT_PER_USERNAME of them stop that
 *   address for that username until the window ends.
 * - Failures also count per username from anywhere. Past the same number the username is
 *   under attack: every address that has already failed for it is stopped, while an address
 *   with no failure for it (the owner at home, say) still gets its attempt. A guesser with
 *   many addresses gets one guess per fresh address per window, not an open door, and the
 *   owner is not stuck behind them.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly rateLimiter: RateLimiter,
    @Inject(usersConfig.KEY) private readonly config: UsersConfig,
  ) {}

  /** Before the password is checked: throws 429 when this attempt may not be made. */
  async admit(username: string, ip: string | null): Promise<void> {
    const { perAddress, perPair, perUsername } = this.limits();
    const address = ip ?? 'unknown';
    const [fromAddress, pairFailures, usernameFailures] = await Promise.all([
      this.rateLimiter.count(perAddress, address),
      this.rateLimiter.peek(perPair, pairKey(username, address)),
      this.rateLimiter.peek(perUsername, username.toLowerCase()),
    ]);
    if (fromAddress.hits > perAddress.limit) {
      throw this.rateLimiter.refusal(perAddress, fromAddress, address);
    }
    if (pairFailures.hits >= perPair.limit) {
      throw this.rateLimiter.refusal(perPair, pairFailures, pairKey(username, address));
    }
    if (usernameFailures.hits >= perUsername.limit && pairFailures.hits > 0) {
      throw this.rateLimiter.refusal(perUsername, usernameFailures, username.toLowerCase());
    }
  }

  /** After a wrong password (or an unknown or disabled user). */
  async failed(username: string, ip: string | null): Promise<void> {
    const { perPair, perUsername } = this.limits();
    await Promise.all([
      this.rateLimiter.count(perPair, pairKey(username, ip ?? 'unknown')),
      this.rateLimiter.count(perUsername, username.toLowerCase()),
    ]);
  }

  private limits(): Record<'perAddress' | 'perPair' | 'perUsername', RateLimit> {
    const { perIp, perUsername, windowSeconds } = this.config.loginRateLimit;
    return {
      perAddress: { name: 'login.ip', limit: perIp, windowSeconds },
      perPair: { name: 'login.failures.username_ip', limit: perUsername, windowSeconds },
      perUsername: { name: 'login.failures.username', limit: perUsername, windowSeconds },
    };
  }
}

function pairKey(username: string, address: string): string {
  return `${username.toLowerCase()}|${address}`;
}
