import { resolve } from 'node:path';
import { registerAs } from '@nestjs/config';
import { loadOrCreateSecrets } from './data-dir-secrets.js';
import { databaseKind, defaultDataDir } from './database-options.js';
import { type EnvironmentVariables, validateEnvironment } from './environment.js';

/** Core settings (infrastructure); each feature module has its own `<module>.config.ts`. */
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
    prettyLogs:
      env.LOG_FORMAT === 'pretty' || (env.LOG_FORMAT === 'auto' && process.stdout.isTTY === true),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    swaggerEnabled: env.SWAGGER_ENABLED,
    shutdownGraceSeconds: env.SHUTDOWN_GRACE_SECONDS,
    database: { url: env.DATABASE_URL, kind: databaseKind(env.DATABASE_URL) },
    redisUrl: env.REDIS_URL,
    secrets: {
      tokenPepper: env.TOKEN_PEPPER ?? generated!.token_pepper,
      previousTokenPepper: env.TOKEN_PEPPER_PREVIOUS,
      auditKey: env.AUDIT_KEY ?? generated!.audit_key,
    },
    principalCacheTtlSeconds: env.PRINCIPAL_CACHE_TTL_SECONDS,
    invalidTokenRateLimitPerIp: env.INVALID_TOKEN_RATE_LIMIT_PER_IP,
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
