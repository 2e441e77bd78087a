import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Gauge } from 'prom-client';
import type { Principal } from '../auth/principal.js';
import { PrincipalValidity } from '../auth/principal-validity.js';
import { Clock } from '../common/clock.js';
import { Metrics } from '../common/metrics/metrics.js';
import { ApiException } from '../common/errors/api.exception.js';
import { camerasConfig, type CamerasConfig } from './cameras.config.js';
import { CameraFrameRenderer } from './camera-frame.renderer.js';
import type { CameraDto } from './dto/camera.dto.js';
import { MjpegStream } from './mjpeg.stream.js';

export interface Camera {
  id: string;
  name: string;
}

/**
 * The demo cameras named by DEMO_CAMERAS, numbered from 1. A real module would look its
 * cameras up per user; the rules around them (scope, query token, streaming) stay the same.
 */
@Injectable()
export class CamerasService implements OnModuleDestroy {
  private readonly logger = new Logger(CamerasService.name);
  private readonly cameras: Camera[];
  private readonly open = new Set<MjpegStream>();

  constructor(
    private readonly renderer: CameraFrameRenderer,
    private readonly validity: PrincipalValidity,
    private readonly clock: Clock,
    @Inject(camerasConfig.KEY) private readonly config: CamerasConfig,
    metrics: Metrics,
  ) {
    this.cameras = config.names.map((name, i) => ({ id: String(i + 1), name }));
    // A module adds its own instruments to the one registry /metrics serves.
    const open = this.open;
    new Gauge({
      name: 'pairgate_camera_streams_open',
      help: 'Camera streams being served now',
      registers: [metrics.registry],
      collect() {
        this.set(open.size);
      },
    });
  }

  list(): CameraDto[] {
    return this.cameras.map((camera) => ({
      ...camera,
      snapshot_url: `/api/cameras/${camera.id}/snapshot`,
      stream_url: `/api/cameras/${camera.id}/stream`,
    }));
  }

  snapshot(id: string): Buffer {
    return this.renderer.frame(this.find(id), this.clock.now());
  }

  /**
   * An MJPEG stream of the camera. It runs until the client disconnects, the stream reaches
   * CAMERA_STREAM_MAX_SECONDS, the app shuts down, or its token stops holding (revoked,
   * expired, its user disabled): checked every CAMERA_STREAM_RECHECK_SECONDS.
   */
  stream(principal: Principal, id: string): MjpegStream {
    const camera = this.find(id);
    const viewer = { cameraId: camera.id, userId: principal.user.id, tokenId: principal.tokenId };
    const stream = new MjpegStream({
      nextFrame: this.renderer.frames(camera, () => this.clock.now()),
      intervalMs: Math.round(1000 / this.config.fps),
      maxDurationMs: this.config.maxStreamSeconds * 1000,
    });
    const openedAt = Date.now();
    this.open.add(stream);
    this.logger.log({ ...viewer, open: this.open.size }, 'camera stream opened');
    // Revocation ends what is already open: the token is checked again every few seconds
    // (a principal-cache hit while it holds), and the stream ends once it no longer does.
    const recheck = setInterval(() => {
      void this.validity.stillValid(principal).then(
        (valid) => {
          if (valid) return;
          this.logger.log({ ...viewer }, 'camera stream ended: the token no longer holds');
          stream.end();
        },
        (err: Error) => this.logger.warn(`camera stream check failed: ${err.message}`),
      );
    }, this.config.recheckSeconds * 1000);
    recheck.unref();
    stream.once('close', () => {
      clearInterval(recheck);
      this.open.delete(stream);
      const seconds = Math.round((Date.now() - openedAt) / 100) / 10;
      this.logger.log({ ...viewer, frames: stream.frames, seconds }, 'camera stream closed');
    });
    return stream;
  }

  /** Open streams would hold the HTTP server open: end them so shutdown is prompt. */
  onModuleDestroy(): void {
    for (const stream of this.open) stream.end();
  }

  private find(id: string): Camera {
    const camera = this.cameras.find((c) => c.id === id);
    if (!camera) throw ApiException.notFound('Camera');
    return camera;
  }
}
