import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { appConfig, type AppConfig } from '../../config/app.config.js';

/** How long one Redis command may take before the caller falls back to local state. */
const COMMAND_TIMEOUT_MS = 250;
/** Reconnect forever, at most this far apart, so the service recovers when Redis returns. */
const MAX_RECONNECT_DELAY_MS = 2000;

/**
 * The Redis connections, when REDIS_URL is set: one for commands (rate-limit counters) and,
 * on demand, one in subscriber mode (principal-cache evictions). Without REDIS_URL both are
 * absent and callers fall back to in-process state.
 *
 * The command connection fails fast: no offline queue and no retries per request, so while
 * Redis is down a command is refused at once (or after COMMAND_TIMEOUT_MS when Redis hangs)
 * instead of holding the request through ioredis' reconnect attempts. Callers treat a
 * failure as "use local state" (see RateLimiter).
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnections.name);
  readonly command: Redis | null;
  private subscriberConnection: Redis | null = null;
  private readonly down = new Set<string>();

  constructor(@Inject(appConfig.KEY) private readonly config: AppConfig) {
    this.command = config.redisUrl
      ? this.connect('command', {
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          commandTimeout: COMMAND_TIMEOUT_MS,
        })
      : null;
  }

  /** Whether the command connection is up right now (false without REDIS_URL). */
  get available(): boolean {
    return this.command?.status === 'ready';
  }

  subscriber(): Redis | null {
    if (!this.config.redisUrl) return null;
    // Subscriptions queue while disconnected and are renewed on every reconnect.
    this.subscriberConnection ??= this.connect('subscriber', {
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
    });
    return this.subscriberConnection;
  }

  private connect(
    role: string,
    options: Pick<RedisOptions, 'enableOfflineQueue' | 'maxRetriesPerRequest' | 'commandTimeout'>,
  ): Redis {
    const client = new Redis(this.config.redisUrl!, {
      ...options,
      lazyConnect: false,
      retryStrategy: (attempt: number) => Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
    });
    // One line when a connection goes down and one when it is back, not one per retry.
    client.on('error', (err: Error) => {
      if (this.down.has(role)) return;
      this.down.add(role);
      this.logger.warn(`redis ${role} connection lost (${err.message}); using local state`);
    });
    client.on('ready', () => {
      if (this.down.delete(role)) this.logger.log(`redis ${role} connection restored`);
    });
    return client;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      [this.command, this.subscriberConnection]
        .filter((c): c is Redis => c !== null)
        .map((c) => c.quit().catch(() => c.disconnect())),
    );
  }
}
