import { Inject, Injectable } from '@nestjs/common';
import { camerasConfig, type CamerasConfig } from './cameras.config.js';
import { type BlockImage, encodeBlockJpeg } from './block-jpeg.js';
import type { Camera } from './cameras.service.js';

/** 40 x 30 blocks of 8 px: a 320 x 240 picture. */
const WIDTH = 40;
const HEIGHT = 30;

// 3x5 glyphs, one string per row, for the clock and the camera number.
const GLYPHS: Record<string, string[]> = {
  '0': ['###', '#.#', '#.#', '#.#', '###'],
  '1': ['.#.', '##.', '.#.', '.#.', '###'],
  '2': ['###', '..#', '###', '#..', '###'],
  '3': ['###', '..#', '.##', '..#', '###'],
  '4': ['#.#', '#.#', '###', '..#', '..#'],
  '5': ['###', '#..', '###', '..#', '###'],
  '6': ['###', '#..', '###', '#.#', '###'],
  '7': ['###', '..#', '.#.', '.#.', '.#.'],
  '8': ['###', '#.#', '###', '#.#', '###'],
  '9': ['###', '#.#', '###', '..#', '###'],
  ':': ['.', '#', '.', '#', '.'],
};

type Rgb = [number, number, number];

class Canvas implements BlockImage {
  readonly width = WIDTH;
  readonly height = HEIGHT;
  readonly rgb = new Uint8Array(WIDTH * HEIGHT * 3);

  set(x: number, y: number, [r, g, b]: Rgb): void {
    if (x < 0 || y < 0 || x >= WIDTH || y >= HEIGHT) return;
    const i = (y * WIDTH + x) * 3;
    this.rgb[i] = r;
    this.rgb[i + 1] = g;
    this.rgb[i + 2] = b;
  }

  rect(x: number, y: number, w: number, h: number, color: Rgb): void {
    for (let dy = 0; dy < h; dy++) for (let dx = 0; dx < w; dx++) this.set(x + dx, y + dy, color);
  }

  text(x: number, y: number, text: string, color: Rgb): void {
    let cursor = x;
    for (const char of text) {
      const glyph = GLYPHS[char];
      if (!glyph) continue;
      glyph.forEach((row, dy) => {
        for (let dx = 0; dx < row.length; dx++) {
          if (row[dx] === '#') this.set(cursor + dx, y + dy, color);
        }
      });
      cursor += glyph[0].length + 1;
    }
  }
}

function hsl(hue: number, saturation: number, lightness: number): Rgb {
  const a = saturation * Math.min(lightness, 1 - lightness);
  const f = (n: number) => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (lightness - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/**
 * Draws the demo cameras' pictures: a scene tinted per camera, a square that moves with
 * every frame, a UTC clock, the camera number and a blinking recording light. Frames are
 * memoised per camera and frame slot, so many viewers (and the snapshot benchmark) share
 * one encoding.
 */
@Injectable()
export class CameraFrameRenderer {
  private readonly frameMs: number;
  private readonly latest = new Map<string, { slot: number; jpeg: Buffer }>();

  constructor(@Inject(camerasConfig.KEY) config: CamerasConfig) {
    this.frameMs = Math.round(1000 / config.fps);
  }

  /** The picture `camera` shows at `at`; the same slot gives the same bytes. */
  frame(camera: Camera, at: Date): Buffer {
    return this.render(camera, this.slotAt(at));
  }

  /**
   * One viewer's frames, each of a later slot than the one before: a stream's timer may
   * fire a millisecond before its slot begins (timers run on the event loop's clock, slots
   * on the wall clock), and would then send the previous picture again.
   */
  frames(camera: Camera, now: () => Date): () => Buffer {
    let last = -Infinity;
    return () => {
      last = Math.max(this.slotAt(now()), last + 1);
      return this.render(camera, last);
    };
  }

  private slotAt(at: Date): number {
    return Math.floor(at.getTime() / this.frameMs);
  }

  private render(camera: Camera, slot: number): Buffer {
    const cached = this.latest.get(camera.id);
    if (cached?.slot === slot) return cached.jpeg;
    const jpeg = encodeBlockJpeg(
      this.draw(camera, slot, new Date(slot * this.frameMs)),
      `pairgate demo camera ${camera.id} (${camera.name}) frame ${slot} at ${new Date(slot * this.frameMs).toISOString()}`,
    );
    this.latest.set(camera.id, { slot, jpeg });
    return jpeg;
  }

  private draw(camera: Camera, slot: number, at: Date): Canvas {
    const canvas = new Canvas();
    const hue = (Number(camera.id) * 67) % 360;
    for (let y = 0; y < HEIGHT; y++) {
      const sky = y < HEIGHT * 0.6;
      const color = sky
        ? hsl(hue, 0.45, 0.3 + (0.25 * y) / HEIGHT)
        : hsl((hue + 40) % 360, 0.35, 0.22 + (0.1 * (y - HEIGHT * 0.6)) / HEIGHT);
      canvas.rect(0, y, WIDTH, 1, color);
    }
    // A square that crosses the picture and comes back: motion you can see in a stream.
    const span = WIDTH - 4;
    const step = slot % (2 * span);
    const x = step < span ? step : 2 * span - step;
    canvas.rect(x, 13, 4, 4, hsl((hue + 180) % 360, 0.7, 0.6));
    const clock = at.toISOString().slice(11, 19);
    canvas.rect(0, 0, WIDTH, 7, [16, 16, 16]);
    canvas.text(1, 1, clock, [240, 240, 240]);
    if (at.getUTCSeconds() % 2 === 0) canvas.rect(WIDTH - 3, 2, 2, 2, [220, 30, 30]);
    canvas.text(WIDTH - 3 - 4 * camera.id.length, HEIGHT - 6, camera.id, [250, 250, 210]);
    return canvas;
  }
}
