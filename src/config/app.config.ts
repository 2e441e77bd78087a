import { resolve } from 'node:path';
import { registerAs } from '@nestjs/config';
import { loadOrCreateSecrets } from './data-dir-secrets.js';
import { databaseKind, defaultDataDir } from './database-options.js';
import { type EnvironmentVariables, validateEnvironment } from './environment.js';

export function buildAppConfig(env: EnvironmentVariables) {
  const dataDir = env.DATA_DIR ? resolve(env.DATA_DIR) : defaultDataDir(env.DATABASE_URL);
  const needsGenerated = !env.TOKEN_PEPPER || !env.AUDIT_KEY;
  const generated = needsGenerated ? loadOrCreateSecrets(dataDir) : undefined;
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl,
    dataDir,
    logLevel: env.LOG_LEVEL,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    swaggerEnabled: env.SWAGGER_ENABLED,
    shutdownGraceSeconds: env.SHUTDOWN_GRACE_SECONDS,
    metrics: {
      enabled: env.METRICS_ENABLED,
      token: env.METRICS_TOKEN,
      port: env.METRICS_PORT,
    },
    database: { url: env.DATABASE_URL, kind: databaseKind(env.DATABASE_URL) },
    redisUrl: env.REDIS_URL,
    secrets: {
      tokenPepper: env.TOKEN_PEPPER ?? generated!.token_pepper,
      previousTokenPepper: env.TOKEN_PEPPER_PREVIOUS,
      auditKey: env.AUDIT_KEY ?? generated!.audit_key,
    },
    admin: env.ADMIN_USERNAME
      ? { username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD!, email: env.ADMIN_EMAIL }
      : undefined,
    sessions: { ttlSeconds: env.SESSION_TTL_SECONDS },
    principalCacheTtlSeconds: env.PRINCIPAL_CACHE_TTL_SECONDS,
    invalidTokenRateLimitPerIp: env.INVALID_TOKEN_RATE_LIMIT_PER_IP,
    loginRateLimit: {
      perIp: env.LOGIN_RATE_LIMIT_PER_IP,
      perUsername: env.LOGIN_RATE_LIMIT_PER_USERNAME,
      windowSeconds: env.LOGIN_RATE_LIMIT_WINDOW_SECONDS,
    },
    clientTokens: {
      maxTtlDays: env.CLIENT_TOKEN_MAX_TTL_DAYS,
      exchangeRateLimitPerIp: env.CLIENT_TOKEN_EXCHANGE_RATE_LIMIT_PER_IP,
    },
    longLivedTokens: { maxDays: env.LONG_LIVED_TOKEN_MAX_DAYS },
    cameras: {
      names: env.DEMO_CAMERAS.split(',')
        .map((name) => name.trim())
        .filter(Boolean),
      fps: env.CAMERA_STREAM_FPS,
      maxStreamSeconds: env.CAMERA_STREAM_MAX_SECONDS,
      recheckSeconds: env.CAMERA_STREAM_RECHECK_SECONDS,
    },
    deviceFlow: {
      codeTtlSeconds: env.DEVICE_CODE_TTL_SECONDS,
      pollIntervalSeconds: env.DEVICE_POLL_INTERVAL_SECONDS,
      requireRegisteredClient: env.DEVICE_FLOW_REQUIRE_REGISTERED_CLIENT,
      rateLimit: {
        initPerIp: env.DEVICE_INIT_RATE_LIMIT_PER_IP,
        tokenPerIp: env.DEVICE_TOKEN_RATE_LIMIT_PER_IP,
        userCode: env.DEVICE_USER_CODE_RATE_LIMIT,
        windowSeconds: env.DEVICE_RATE_LIMIT_WINDOW_SECONDS,
      },
    },
  };
}

function parseTrustProxy(value: string): boolean | number | string[] {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export const appConfig = registerAs('app', () =>
  buildAppConfig(validateEnvironment(process.env as Record<string, unknown>)),
);

export type AppConfig = ReturnType<typeof buildAppConfig>;
