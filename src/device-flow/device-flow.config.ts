import { type ConfigType, registerAs } from '@nestjs/config';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { processEnv, toBoolean, toInt, validateConfig } from '../config/validate-config.js';

/** The device flow: code lifetime, polling, registered clients, abuse limits. */
export class DeviceFlowSettings {
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

  /**
   * /oauth/introspect calls per minute per caller (a client_id or a bearer token): a
   * resource server asks on its requests, so this is high; it bounds a runaway one.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  INTROSPECTION_RATE_LIMIT_PER_MINUTE = 6000;
}

export function buildDeviceFlowConfig(env: Record<string, unknown>) {
  const vars = validateConfig(DeviceFlowSettings, env);
  return {
    codeTtlSeconds: vars.DEVICE_CODE_TTL_SECONDS,
    pollIntervalSeconds: vars.DEVICE_POLL_INTERVAL_SECONDS,
    requireRegisteredClient: vars.DEVICE_FLOW_REQUIRE_REGISTERED_CLIENT,
    rateLimit: {
      initPerIp: vars.DEVICE_INIT_RATE_LIMIT_PER_IP,
      tokenPerIp: vars.DEVICE_TOKEN_RATE_LIMIT_PER_IP,
      userCode: vars.DEVICE_USER_CODE_RATE_LIMIT,
      windowSeconds: vars.DEVICE_RATE_LIMIT_WINDOW_SECONDS,
    },
    introspectionPerMinute: vars.INTROSPECTION_RATE_LIMIT_PER_MINUTE,
  };
}

export const deviceFlowConfig = registerAs('deviceFlow', () => buildDeviceFlowConfig(processEnv()));

export type DeviceFlowConfig = ConfigType<typeof deviceFlowConfig>;
