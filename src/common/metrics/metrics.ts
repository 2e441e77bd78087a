import { Global, Injectable, Module } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What an audit action counts as, declared by the module that records it. */
export type AuditMetric =
  | { issued: string }
  | { revoked: string }
  /** A step of the device flow, counted with the event's outcome. */
  | { deviceFlowStep: string };

/**
 * The Prometheus instruments. They live in common so the core layers (guard, cache, rate
 * limiter, audit) can count without knowing whether metrics are served; what is served and
 * where is src/metrics' business. Counting is a few nanoseconds per call, so the
 * instruments count whether or not anyone scrapes them.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly requestDuration = new Histogram({
    name: 'pairgate_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [this.registry],
  });

  readonly tokensIssued = new Counter({
    name: 'pairgate_tokens_issued_total',
    help: 'Credentials issued, by token kind (session, client, long_lived)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly tokensRevoked = new Counter({
    name: 'pairgate_tokens_revoked_total',
    help: 'Credentials revoked one at a time, by token kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly deviceFlows = new Counter({
    name: 'pairgate_device_flow_events_total',
    help: 'Device authorization steps by outcome: init, approve, deny, token_issued, code_reuse',
    labelNames: ['step', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'pairgate_rate_limited_total',
    help: 'Requests refused with 429, by limit',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  readonly principalCache = new Counter({
    name: 'pairgate_principal_cache_lookups_total',
    help: 'Bearer token lookups answered from the principal cache (hit) or the database (miss)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly dependencyUp = new Gauge({
    name: 'pairgate_dependency_up',
    help: '1 when the dependency answers, 0 when it does not (database, redis)',
    labelNames: ['dependency'] as const,
    registers: [this.registry],
  });

  private readonly auditMetrics = new Map<string, AuditMetric[]>();

  /**
   * A module names the audit actions that issue or revoke its credentials (by token kind)
   * or are device-flow steps; the audit log then counts them as it writes them. Core keeps
   * no list of any module's actions.
   */
  countAuditActions(actions: Record<string, AuditMetric>): void {
    for (const [action, metric] of Object.entries(actions)) {
      this.auditMetrics.set(action, [...(this.auditMetrics.get(action) ?? []), metric]);
    }
  }

  /** Called for every audit event written. */
  audited(action: string, outcome: string): void {
    for (const metric of this.auditMetrics.get(action) ?? []) {
      if ('deviceFlowStep' in metric) {
        this.deviceFlows.inc({ step: metric.deviceFlowStep, outcome });
      } else if (outcome === 'success') {
        if ('issued' in metric) this.tokensIssued.inc({ kind: metric.issued });
        else this.tokensRevoked.inc({ kind: metric.revoked });
      }
    }
  }
}

@Global()
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsInstrumentsModule {}
