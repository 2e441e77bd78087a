import { type ConfigType, registerAs } from '@nestjs/config';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min, MinLength } from 'class-validator';
import {
  ConfigurationError,
  emptyToUndefined,
  processEnv,
  toBoolean,
  toInt,
  validateConfig,
} from '../config/validate-config.js';

/** Prometheus metrics: off unless enabled, behind a token or on their own port. */
export class MetricsSettings {
  /** Serve Prometheus metrics (off by default); needs METRICS_TOKEN or METRICS_PORT. */
  @Transform(toBoolean)
  @IsBoolean()
  METRICS_ENABLED = false;

  /** A bearer token that GET /metrics on the main port requires. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @MinLength(16)
  METRICS_TOKEN?: string;

  /** Serve /metrics only on this port (for a private network), not on the main one. */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  METRICS_PORT?: number;
}

export function buildMetricsConfig(env: Record<string, unknown>) {
  const vars = validateConfig(MetricsSettings, env);
  if (vars.METRICS_ENABLED && !vars.METRICS_TOKEN && !vars.METRICS_PORT) {
    throw new ConfigurationError([
      'METRICS_ENABLED=true needs METRICS_TOKEN (scrapes send it as a bearer token) or METRICS_PORT (a port only your network reaches)',
    ]);
  }
  return { enabled: vars.METRICS_ENABLED, token: vars.METRICS_TOKEN, port: vars.METRICS_PORT };
}

export const metricsConfig = registerAs('metrics', () => buildMetricsConfig(processEnv()));

export type MetricsConfig = ConfigType<typeof metricsConfig>;
