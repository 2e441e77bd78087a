import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators.js';
import { ApiErrors } from '../common/errors/api-errors.decorator.js';
import { RedisConnections } from '../common/redis/redis.module.js';

type ComponentStatus = { status: 'up' | 'down'; message?: string };

export interface ReadinessBody {
  /** `degraded`: the instance serves, with a part that has a local fallback down (Redis). */
  status: 'ok' | 'degraded';
  info: Record<string, ComponentStatus>;
}

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisConnections,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: the database answers',
    description:
      '503 when the database does not answer (the instance cannot serve). When Redis is ' +
      'configured but down the answer stays 200 with `status: "degraded"`: rate limits fall ' +
      'back to per-instance counters and cache evictions to the cache TTL until it returns.',
  })
  @ApiErrors(503)
  async ready(): Promise<ReadinessBody> {
    const result = await this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
    ]);
    const info: Record<string, ComponentStatus> = {
      database: { status: 'up' },
      ...(result.info as Record<string, ComponentStatus>),
    };
    const redis = await this.redisStatus();
    if (redis) info.redis = redis;
    return { status: redis?.status === 'down' ? 'degraded' : 'ok', info };
  }

  private async redisStatus(): Promise<ComponentStatus | null> {
    const client = this.redis.command;
    if (!client) return null;
    if (!this.redis.available) return { status: 'down', message: `connection ${client.status}` };
    try {
      await client.ping();
      return { status: 'up' };
    } catch (err) {
      return { status: 'down', message: (err as Error).message };
    }
  }
}
