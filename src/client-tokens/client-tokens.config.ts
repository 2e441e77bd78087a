import { type ConfigType, registerAs } from '@nestjs/config';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { processEnv, toInt, validateConfig } from '../config/validate-config.js';

/** Client tokens: the longest lifetime and the pairing-code exchange limit. */
export class ClientTokensSettings {
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
}

export function buildClientTokensConfig(env: Record<string, unknown>) {
  const vars = validateConfig(ClientTokensSettings, env);
  return {
    maxTtlDays: vars.CLIENT_TOKEN_MAX_TTL_DAYS,
    exchangeRateLimitPerIp: vars.CLIENT_TOKEN_EXCHANGE_RATE_LIMIT_PER_IP,
  };
}

export const clientTokensConfig = registerAs('clientTokens', () =>
  buildClientTokensConfig(processEnv()),
);

export type ClientTokensConfig = ConfigType<typeof clientTokensConfig>;
