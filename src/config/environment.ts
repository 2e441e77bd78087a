import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { IsServiceUrl } from './service-url.js';
import {
  ConfigurationError,
  emptyToUndefined,
  toBoolean,
  toInt,
  validateConfig,
} from './validate-config.js';

/**
 * The infrastructure settings core reads: where it listens and is reached, the database,
 * Redis, secrets, logging, the bearer layer and shutdown. Each feature module reads its own
 * settings in its `<module>.config.ts` through the same validateConfig, so a bad value
 * anywhere stops the process at start with a message naming the variable.
 */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsOptional()
  @IsString()
  HOST = '0.0.0.0';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  PUBLIC_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsServiceUrl('database')
  DATABASE_URL = 'sqlite:./data/pairgate.sqlite';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsServiceUrl('redis')
  REDIS_URL?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  DATA_DIR?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'TOKEN_PEPPER must be at least 32 characters of random data' })
  TOKEN_PEPPER?: string;

  /**
   * The pepper before the last rotation: tokens hashed with it still resolve, and move to
   * TOKEN_PEPPER at their first use. Remove it once the tokens that matter have been used.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'TOKEN_PEPPER_PREVIOUS must be at least 32 characters' })
  TOKEN_PEPPER_PREVIOUS?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'AUDIT_KEY must be at least 32 characters of random data' })
  AUDIT_KEY?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  /**
   * `json` (one JSON line per entry, for collectors), `pretty` (human-readable), or `auto`:
   * pretty when stdout is a terminal, JSON otherwise.
   */
  @IsOptional()
  @IsIn(['auto', 'json', 'pretty'])
  LOG_FORMAT: 'auto' | 'json' | 'pretty' = 'auto';

  /**
   * `on` leaves V8's garbage collector as it is instead of src/v8-tuning.ts's settings
   * (read there, before anything else; validated here like every other variable).
   */
  @IsOptional()
  @IsIn(['on', 'off'])
  PAIRGATE_V8_DEFAULTS?: 'on' | 'off';

  /** true, false, a hop count, or a comma-separated list of trusted proxy addresses/CIDRs. */
  @IsOptional()
  @Matches(/^(true|false|\d+|[0-9a-fA-F:.,/\s]+)$/, {
    message: 'TRUST_PROXY must be true, false, a hop count or a list of addresses',
  })
  TRUST_PROXY = 'false';

  /** Bound on how long a revocation message lost between instances can go unnoticed. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300)
  PRINCIPAL_CACHE_TTL_SECONDS = 30;

  /**
   * Requests per minute from one address whose token resolves to nothing (unknown, revoked,
   * expired) before that address gets 429 on every uncached token.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  INVALID_TOKEN_RATE_LIMIT_PER_IP = 120;

  /** On SIGTERM, how long in-flight requests may take to finish before the process exits. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600)
  SHUTDOWN_GRACE_SECONDS = 10;

  @Transform(toBoolean)
  @IsBoolean()
  SWAGGER_ENABLED = true;
}

export function validateEnvironment(env: Record<string, unknown>): EnvironmentVariables {
  const instance = validateConfig(EnvironmentVariables, env);
  if (instance.NODE_ENV === 'production') {
    const missing = (['TOKEN_PEPPER', 'AUDIT_KEY', 'PUBLIC_URL'] as const).filter(
      (name) => !instance[name],
    );
    if (missing.length > 0) {
      throw new ConfigurationError(missing.map((n) => `${n} is required when NODE_ENV=production`));
    }
  }
  return instance;
}
