import { type ConfigType, registerAs } from '@nestjs/config';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { processEnv, toInt, validateConfig } from '../config/validate-config.js';

/** The example cameras module: its demo cameras and stream limits. */
export class CamerasSettings {
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

export function buildCamerasConfig(env: Record<string, unknown>) {
  const vars = validateConfig(CamerasSettings, env);
  return {
    names: vars.DEMO_CAMERAS.split(',')
      .map((name) => name.trim())
      .filter(Boolean),
    fps: vars.CAMERA_STREAM_FPS,
    maxStreamSeconds: vars.CAMERA_STREAM_MAX_SECONDS,
    recheckSeconds: vars.CAMERA_STREAM_RECHECK_SECONDS,
  };
}

export const camerasConfig = registerAs('cameras', () => buildCamerasConfig(processEnv()));

export type CamerasConfig = ConfigType<typeof camerasConfig>;
