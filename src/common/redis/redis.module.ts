import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import { appConfig, type AppConfig } from '../../config/app.config.js';

/**
 * The Redis connections, when REDIS_URL is set: one for commands (rate-limit counters) and,
 * on demand, one in subscriber mode (principal-cache evictions). Without REDIS_URL both are
 * absent and callers fall back to in-process state.
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnections.name);
  readonly command: Redis | null;
  private subscriberConnection: Redis | null = null;

  constructor(@Inject(appConfig.KEY) private readonly config: AppConfig) {
    this.command = config.redisUrl ? this.connect('command') : null;
  }

  subscriber(): Redis | null {
    if (!this.config.redisUrl) return null;
    this.subscriberConnection ??= this.connect('subscriber');
    return this.subscriberConnection;
  }

  private connect(role: string): Redis {
    const client = new Redis(this.config.redisUrl!, {
      maxRetriesPerRequest: 2,
      enableOfflineQueue: true,
      lazyConnect: false,
    });
    client.on('error', (err: Error) => this.logger.warn(`redis ${role}: ${err.message}`));
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

@Global()
@Module({ providers: [RedisConnections], exports: [RedisConnections] })
export class RedisModule {}
