import { ConfigModule } from '@nestjs/config';
import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import {
  Controller,
  Get,
  Headers,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
  Res,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators.js';
import { ApiException } from '../common/errors/api.exception.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { Metrics } from '../common/metrics/metrics.js';
import { RedisConnections } from '../common/redis/redis.module.js';
import { appConfig, type AppConfig } from '../config/app.config.js';
import { metricsConfig, type MetricsConfig } from './metrics.config.js';

/**
 * Serves the instruments when METRICS_ENABLED=true: on the main port behind METRICS_TOKEN,
 * or on METRICS_PORT alone. Times every request through a Fastify onResponse hook, added
 * only when metrics are on.
 */
@Injectable()
export class MetricsExporter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsExporter.name);
  private server: Server | null = null;

  constructor(
    readonly metrics: Metrics,
    @Inject(appConfig.KEY) private readonly config: AppConfig,
    @Inject(metricsConfig.KEY) readonly settings: MetricsConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly dataSource: DataSource,
    private readonly redis: RedisConnections,
  ) {}

  onModuleInit(): void {
    if (!this.settings.enabled) return;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', (request, reply, done) => {
      this.metrics.requestDuration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? 'unmatched',
          status: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
      done();
    });
    const port = this.settings.port;
    if (port) {
      this.server = createServer((req, res) => {
        if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
          res.writeHead(404).end();
          return;
        }
        this.render().then(
          (body) => res.writeHead(200, { 'content-type': this.contentType }).end(body),
          () => res.writeHead(500).end(),
        );
      });
      this.server.listen(port, this.config.host, () => this.logger.log(`metrics on port ${port}`));
    }
  }

  get contentType(): string {
    return this.metrics.registry.contentType;
  }

  /** The text exposition, with the dependencies' state read at scrape time. */
  async render(): Promise<string> {
    const database = await Promise.race([
      this.dataSource.query('SELECT 1').then(
        () => 1,
        () => 0,
      ),
      new Promise<number>((resolve) => setTimeout(() => resolve(0), 1000).unref()),
    ]);
    this.metrics.dependencyUp.set({ dependency: 'database' }, database);
    if (this.redis.command) {
      this.metrics.dependencyUp.set({ dependency: 'redis' }, this.redis.available ? 1 : 0);
    }
    return this.metrics.registry.metrics();
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

@ApiExcludeController()
@Controller('metrics')
@Public()
export class MetricsController {
  constructor(private readonly exporter: MetricsExporter) {}

  /** Prometheus text format; 404 unless metrics are served on the main port. */
  @Get()
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { enabled, token, port } = this.exporter.settings;
    if (!enabled || port || !token) {
      throw new ApiException(404, ErrorCode.NotFound, 'No route for GET /metrics');
    }
    const given = Buffer.from(authorization ?? '');
    const expected = Buffer.from(`Bearer ${token}`);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ApiException(
        401,
        ErrorCode.Unauthorized,
        'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>',
      );
    }
    await reply
      .header('content-type', this.exporter.contentType)
      .send(await this.exporter.render());
  }
}

@Module({
  imports: [ConfigModule.forFeature(metricsConfig)],
  controllers: [MetricsController],
  providers: [MetricsExporter],
})
export class MetricsModule {}
