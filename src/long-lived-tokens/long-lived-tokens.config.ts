import { type ConfigType, registerAs } from '@nestjs/config';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { processEnv, toInt, validateConfig } from '../config/validate-config.js';

/** Long-lived tokens: the longest lifetime. */
export class LongLivedTokensSettings {
  /** The longest a long-lived token may live, in days. Long-lived tokens always expire. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  LONG_LIVED_TOKEN_MAX_DAYS = 365;
}

export function buildLongLivedTokensConfig(env: Record<string, unknown>) {
  const vars = validateConfig(LongLivedTokensSettings, env);
  return { maxDays: vars.LONG_LIVED_TOKEN_MAX_DAYS };
}

export const longLivedTokensConfig = registerAs('longLivedTokens', () =>
  buildLongLivedTokensConfig(processEnv()),
);

export type LongLivedTokensConfig = ConfigType<typeof longLivedTokensConfig>;
