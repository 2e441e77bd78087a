import { type ConfigType, registerAs } from '@nestjs/config';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Min, MinLength } from 'class-validator';
import {
  ConfigurationError,
  emptyToUndefined,
  processEnv,
  toInt,
  validateConfig,
} from '../config/validate-config.js';

/** The users module: the admin created at start, login sessions, login throttling. */
export class UsersSettings {
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
}

export function buildUsersConfig(env: Record<string, unknown>) {
  const vars = validateConfig(UsersSettings, env);
  if (Boolean(vars.ADMIN_USERNAME) !== Boolean(vars.ADMIN_PASSWORD)) {
    throw new ConfigurationError(['ADMIN_USERNAME and ADMIN_PASSWORD must be set together']);
  }
  return {
    admin: vars.ADMIN_USERNAME
      ? { username: vars.ADMIN_USERNAME, password: vars.ADMIN_PASSWORD!, email: vars.ADMIN_EMAIL }
      : undefined,
    sessions: { ttlSeconds: vars.SESSION_TTL_SECONDS },
    loginRateLimit: {
      perIp: vars.LOGIN_RATE_LIMIT_PER_IP,
      perUsername: vars.LOGIN_RATE_LIMIT_PER_USERNAME,
      windowSeconds: vars.LOGIN_RATE_LIMIT_WINDOW_SECONDS,
    },
  };
}

export const usersConfig = registerAs('users', () => buildUsersConfig(processEnv()));

export type UsersConfig = ConfigType<typeof usersConfig>;
