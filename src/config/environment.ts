import { plainToInstance, Transform } from 'class-transformer';
import { IsServiceUrl, maskUrl } from './service-url.js';
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
  validateSync,
} from 'class-validator';

const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
const FALSE_WORDS = ['0', 'false', 'no', 'off'];

const toBoolean = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const word = value.toLowerCase();
  if (word === '') return undefined;
  return TRUE_WORDS.includes(word) ? true : FALSE_WORDS.includes(word) ? false : value;
};

const toInt = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  if (value === '') return undefined;
  return /^-?\d+$/.test(value) ? Number(value) : value;
};

const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * Every environment variable pairgate reads. A value that does not fit stops the process at
 * start with a message naming the variable (see validateEnvironment).
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

  /** true, false, a hop count, or a comma-separated list of trusted proxy addresses/CIDRs. */
  @IsOptional()
  @Matches(/^(true|false|\d+|[0-9a-fA-F:.,/\s]+)$/, {
    message: 'TRUST_PROXY must be true, false, a hop count or a list of addresses',
  })
  TRUST_PROXY = 'false';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{3,64}$/, {
    message: 'ADMIN_USERNAME must be 3-64 letters, digits, dots, dashes or underscores',
  })
  ADMIN_USERNAME?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters' })
  ADMIN_PASSWORD?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ADMIN_EMAIL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  SESSION_TTL_SECONDS = 7 * 24 * 3600;

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

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT_PER_IP = 20;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT_PER_USERNAME = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT_WINDOW_SECONDS = 60;

  /** Lifetime of a device authorization request (RFC 8628 `expires_in`). */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(3600)
  DEVICE_CODE_TTL_SECONDS = 600;

  /** The minimum seconds between a device's token polls; slow_down adds 5, up to 60. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  DEVICE_POLL_INTERVAL_SECONDS = 5;

  /** When true, device authorization requests need a client_id an admin registered. */
  @Transform(toBoolean)
  @IsBoolean()
  DEVICE_FLOW_REQUIRE_REGISTERED_CLIENT = false;

  /** Device authorization requests per IP per window. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DEVICE_INIT_RATE_LIMIT_PER_IP = 10;

  /** Token polls per IP per window: a household of devices behind one address must pair. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DEVICE_TOKEN_RATE_LIMIT_PER_IP = 60;

  /** user_code lookups (pending, approve, deny) per user and, separately, per IP per window. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DEVICE_USER_CODE_RATE_LIMIT = 10;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  DEVICE_RATE_LIMIT_WINDOW_SECONDS = 60;

  @Transform(toBoolean)
  @IsBoolean()
  SWAGGER_ENABLED = true;

  /** The longest a client token may live, in days; also the lifetime of "never". 0: no cap. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(36500)
  CLIENT_TOKEN_MAX_TTL_DAYS = 3650;

  /** Pairing-code exchanges per IP per minute (the code is short, so guessing is throttled). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  CLIENT_TOKEN_EXCHANGE_RATE_LIMIT_PER_IP = 5;

  /** The longest a long-lived token may live, in days. Long-lived tokens always expire. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  LONG_LIVED_TOKEN_MAX_DAYS = 365;

  /** The example cameras module's demo cameras: comma-separated names, numbered from 1. */
  @IsOptional()
  @Matches(/^([^,\p{Cc}]{1,64}(,[^,\p{Cc}]{1,64}){0,15})?$/u, {
    message: 'DEMO_CAMERAS must be up to 16 comma-separated names of 1-64 characters',
  })
  DEMO_CAMERAS = 'Front door,Back yard,Garage';

  /** Frames per second of the demo cameras' MJPEG streams. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(30)
  CAMERA_STREAM_FPS = 5;

  /**
   * A camera stream ends after this many seconds and the client reconnects, authenticating
   * again: the bound on how long a revoked token's open stream keeps running. 0: no bound.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  CAMERA_STREAM_MAX_SECONDS = 3600;

  /** How often an open camera stream checks that its token still holds (revocation ends it). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  CAMERA_STREAM_RECHECK_SECONDS = 5;
}

/** Variables whose values are secrets: a message names them and never shows the value. */
const SECRET_NAME = /PASSWORD|PEPPER|SECRET|KEY|TOKEN/;

/** `NAME="value"` for a plain setting, `NAME` for a secret, a URL with its password masked. */
function shown(name: string, value: unknown): string {
  if (value === undefined) return name;
  if (SECRET_NAME.test(name)) return `${name} (value hidden)`;
  if (name.endsWith('_URL') && typeof value === 'string') return `${name}="${maskUrl(value)}"`;
  return `${name}=${JSON.stringify(value)}`;
}

export function validateEnvironment(env: Record<string, unknown>): EnvironmentVariables {
  const instance = plainToInstance(EnvironmentVariables, env, {
    exposeDefaultValues: true,
    excludeExtraneousValues: false,
  });
  const errors = validateSync(instance, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (e) => `  ${shown(e.property, e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
    );
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (instance.NODE_ENV === 'production') {
    const missing = (['TOKEN_PEPPER', 'AUDIT_KEY', 'PUBLIC_URL'] as const).filter(
      (name) => !instance[name],
    );
    if (missing.length > 0) {
      throw new Error(
        `Invalid configuration:\n${missing.map((n) => `  ${n} is required when NODE_ENV=production`).join('\n')}`,
      );
    }
  }
  if (instance.METRICS_ENABLED && !instance.METRICS_TOKEN && !instance.METRICS_PORT) {
    throw new Error(
      'Invalid configuration:\n  METRICS_ENABLED=true needs METRICS_TOKEN (scrapes send it as a bearer token) or METRICS_PORT (a port only your network reaches)',
    );
  }
  if (Boolean(instance.ADMIN_USERNAME) !== Boolean(instance.ADMIN_PASSWORD)) {
    throw new Error(
      'Invalid configuration:\n  ADMIN_USERNAME and ADMIN_PASSWORD must be set together',
    );
  }
  return instance;
}
