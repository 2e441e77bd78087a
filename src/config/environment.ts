import { plainToInstance, Transform } from 'class-transformer';
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
  @Matches(/^(mysql|mariadb):\/\/[^/]+\/[A-Za-z0-9_$-]+(\?.*)?$|^sqlite:.+$/, {
    message: 'DATABASE_URL must look like mysql://user:pass@host:3306/db or sqlite:<path>',
  })
  DATABASE_URL = 'sqlite:./data/pairgate.sqlite';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must look like redis://host:6379' })
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
}

export function validateEnvironment(env: Record<string, unknown>): EnvironmentVariables {
  const instance = plainToInstance(EnvironmentVariables, env, {
    exposeDefaultValues: true,
    excludeExtraneousValues: false,
  });
  const errors = validateSync(instance, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (e) =>
        `  ${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`,
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
  if (Boolean(instance.ADMIN_USERNAME) !== Boolean(instance.ADMIN_PASSWORD)) {
    throw new Error(
      'Invalid configuration:\n  ADMIN_USERNAME and ADMIN_PASSWORD must be set together',
    );
  }
  return instance;
}
