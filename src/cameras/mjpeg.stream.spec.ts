import { MJPEG_BOUNDARY, MjpegStream } from './mjpeg.stream.js';

describe('MjpegStream', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function collect(stream: MjpegStream): Buffer[] {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    return chunks;
  }

  let n = 0;
  const nextFrame = () => Buffer.from([0xff, 0xd8, n++, 0xff, 0xd9]);

  it('sends a part at once, then one per interval, each with its length', async () => {
    const stream = new MjpegStream({ nextFrame, intervalMs: 100, maxDurationMs: 0 });
    const chunks = collect(stream);
    await vi.advanceTimersByTimeAsync(250);
    expect(chunks).toHaveLength(3);
    const first = chunks[0].toString('latin1');
    expect(
      first.startsWith(
        `--${MJPEG_BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: 5\r\n\r\n`,
      ),
    ).toBe(true);
    expect(first.endsWith('\r\n')).toBe(true);
    stream.destroy();
  });

  it('stops its timers when destroyed (the client went away)', async () => {
    const stream = new MjpegStream({ nextFrame, intervalMs: 100, maxDurationMs: 60_000 });
    collect(stream);
    expect(vi.getTimerCount()).toBe(2);
    stream.destroy();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ends itself with the closing boundary after the longest duration', async () => {
    const stream = new MjpegStream({ nextFrame, intervalMs: 100, maxDurationMs: 350 });
    const chunks = collect(stream);
    const ended = new Promise((resolve) => stream.on('end', resolve));
    await vi.advanceTimersByTimeAsync(400);
    await ended;
    expect(chunks.at(-1)!.toString()).toBe(`--${MJPEG_BOUNDARY}--\r\n`);
    expect(chunks).toHaveLength(5); // at 0, 100, 200, 300 ms, then the closing boundary
    expect(vi.getTimerCount()).toBe(0);
  });

  it('drops frames instead of queueing them for a reader that does not keep up', async () => {
    const big = Buffer.alloc(64 * 1024, 1);
    const stream = new MjpegStream({ nextFrame: () => big, intervalMs: 10, maxDurationMs: 0 });
    await vi.advanceTimersByTimeAsync(1000); // nobody reads
    expect(stream.frames).toBe(1);
    expect(stream.readableLength).toBeLessThan(2 * big.length);
    stream.destroy();
  });
});
