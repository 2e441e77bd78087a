import { type ConfigType, registerAs } from '@nestjs/config';
import { Transform } from 'class-transformer';
import { IsInt, Min } from 'class-validator';
import { processEnv, toInt, validateConfig } from '../config/validate-config.js';

/** Leaked-token reports: how many one address may send a minute. */
export class TokenLeaksSettings {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  TOKEN_LEAK_RATE_LIMIT_PER_IP = 10;
}

export function buildTokenLeaksConfig(env: Record<string, unknown>) {
  return { perIp: validateConfig(TokenLeaksSettings, env).TOKEN_LEAK_RATE_LIMIT_PER_IP };
}

export const tokenLeaksConfig = registerAs('tokenLeaks', () => buildTokenLeaksConfig(processEnv()));

export type TokenLeaksConfig = ConfigType<typeof tokenLeaksConfig>;
