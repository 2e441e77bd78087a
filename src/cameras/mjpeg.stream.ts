import { Readable } from 'node:stream';

export const MJPEG_BOUNDARY = 'pairgate-frame';
export const MJPEG_CONTENT_TYPE = `multipart/x-mixed-replace; boundary=${MJPEG_BOUNDARY}`;

const CRLF = Buffer.from('\r\n');
const CLOSING = Buffer.from(`--${MJPEG_BOUNDARY}--\r\n`);

export interface MjpegStreamOptions {
  /** Called for every frame; returns a complete JPEG. */
  nextFrame: () => Buffer;
  intervalMs: number;
  /** The stream ends by itself after this long; 0 means never. */
  maxDurationMs: number;
}

/**
 * An endless `multipart/x-mixed-replace` body of JPEG parts, one per interval, the first at
 * once. A slow reader gets fewer frames instead of a growing buffer (live video drops
 * frames, it does not queue them). Destroying the stream (Fastify does when the client
 * goes away) stops its timers; `end()` closes it with the final boundary.
 */
export class MjpegStream extends Readable {
  private readonly ticker: NodeJS.Timeout;
  private readonly deadline: NodeJS.Timeout | null;
  private wanted = true;
  private ended = false;
  frames = 0;

  constructor(private readonly options: MjpegStreamOptions) {
    super();
    this.pushFrame();
    this.ticker = setInterval(() => this.wanted && this.pushFrame(), options.intervalMs);
    this.ticker.unref();
    this.deadline =
      options.maxDurationMs > 0 ? setTimeout(() => this.end(), options.maxDurationMs) : null;
    this.deadline?.unref();
  }

  /** Closes the multipart body properly; the client sees a complete response. */
  end(): void {
    if (this.ended || this.destroyed) return;
    this.stopTimers();
    this.ended = true;
    this.push(CLOSING);
    this.push(null);
  }

  override _read(): void {
    this.wanted = true;
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.stopTimers();
    callback(error);
  }

  private pushFrame(): void {
    if (this.ended || this.destroyed) return;
    const jpeg = this.options.nextFrame();
    const head = Buffer.from(
      `--${MJPEG_BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n\r\n`,
    );
    this.frames++;
    this.wanted = this.push(Buffer.concat([head, jpeg, CRLF]));
  }

  private stopTimers(): void {
    clearInterval(this.ticker);
    if (this.deadline) clearTimeout(this.deadline);
  }
}
