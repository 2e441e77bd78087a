import { describe, expect, it } from 'vitest';
import { buildCamerasConfig } from './cameras.config.js';
import { CameraFrameRenderer } from './camera-frame.renderer.js';

const FRAME_COMMENT = /frame (\d+) at/;
const frameNumber = (jpeg: Buffer) => Number(FRAME_COMMENT.exec(jpeg.toString('latin1'))?.[1]);

describe('CameraFrameRenderer', () => {
  const renderer = new CameraFrameRenderer(buildCamerasConfig({ CAMERA_STREAM_FPS: '5' }));
  const camera = { id: '1', name: 'Porch' };

  it('gives the same picture for the same slot', () => {
    const at = new Date(Date.UTC(2026, 10, 30, 12, 0, 0, 0));
    expect(renderer.frame(camera, new Date(at.getTime() + 150))).toBe(
      renderer.frame(camera, new Date(at.getTime() + 10)),
    );
  });

  it("moves a viewer's stream on by a frame even when its timer fires before the next slot", () => {
    let nowMs = Date.UTC(2026, 10, 30, 12, 0, 0, 0); // slots are 200 ms at 5 fps
    const next = renderer.frames(camera, () => new Date(nowMs));
    const first = frameNumber(next());
    nowMs += 199; // the interval's timer, a millisecond early: still the first slot
    expect(frameNumber(next())).toBe(first + 1);
    nowMs += 200;
    expect(frameNumber(next())).toBe(first + 2);
    nowMs += 1000; // 1,399 ms in: a late timer catches up with the clock, not one by one
    expect(frameNumber(next())).toBe(first + 6);
  });
});
