import { type BlockImage, encodeBlockJpeg } from './block-jpeg.js';

/** Segments before the scan, by marker. */
function segments(jpeg: Buffer): { marker: number; body: Buffer; end: number }[] {
  const found = [];
  let i = 2;
  while (i < jpeg.length) {
    expect(jpeg[i]).toBe(0xff);
    const marker = jpeg[i + 1];
    const length = jpeg.readUInt16BE(i + 2);
    found.push({ marker, body: jpeg.subarray(i + 4, i + 2 + length), end: i + 2 + length });
    if (marker === 0xda) break;
    i += 2 + length;
  }
  return found;
}

/**
 * A minimal decoder for DC-only baseline scans, reading the Huffman table from the file: it
 * proves the entropy-coded data says what the headers promise. (A full decoder, jpeg-js,
 * was used once to check the pixels by hand; browsers use libjpeg-turbo.)
 */
function decodeDcOnly(jpeg: Buffer, blocks: number): number[][] {
  const parts = segments(jpeg);
  const dht = parts.find((s) => s.marker === 0xc4)!.body;
  const bits = [...dht.subarray(1, 17)];
  const values = [...dht.subarray(17, 17 + bits.reduce((a, b) => a + b, 0))];
  const table = new Map<string, number>();
  let code = 0;
  let k = 0;
  bits.forEach((count, i) => {
    for (let j = 0; j < count; j++)
      table.set((code++).toString(2).padStart(i + 1, '0'), values[k++]);
    code <<= 1;
  });
  const scanStart = parts.at(-1)!.end;
  const scan: number[] = [];
  for (let i = scanStart; i < jpeg.length - 2; i++) {
    scan.push(jpeg[i]);
    if (jpeg[i] === 0xff) {
      expect(jpeg[i + 1]).toBe(0x00); // stuffed
      i++;
    }
  }
  const bitString = scan.map((b) => b.toString(2).padStart(8, '0')).join('');
  let pos = 0;
  const read = (n: number) => bitString.slice(pos, (pos += n));
  const previous = [0, 0, 0];
  const out: number[][] = [];
  for (let b = 0; b < blocks; b++) {
    const block: number[] = [];
    for (let c = 0; c < 3; c++) {
      let prefix = '';
      while (!table.has(prefix)) prefix += read(1);
      const size = table.get(prefix)!;
      let diff = 0;
      if (size > 0) {
        const raw = parseInt(read(size), 2);
        diff = raw >= 1 << (size - 1) ? raw : raw - (1 << size) + 1;
      }
      previous[c] += diff;
      block.push(previous[c] + 128);
      expect(read(1)).toBe('0'); // end of block
    }
    out.push(block);
  }
  expect(bitString.slice(pos)).toMatch(/^1*$/); // only padding left
  return out;
}

function toRgb([y, cb, cr]: number[]): number[] {
  return [
    y + 1.402 * (cr - 128),
    y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128),
    y + 1.772 * (cb - 128),
  ].map((v) => Math.round(Math.min(255, Math.max(0, v))));
}

describe('encodeBlockJpeg', () => {
  const image: BlockImage = { width: 5, height: 3, rgb: new Uint8Array(5 * 3 * 3) };
  const colors = [
    [0, 0, 0],
    [255, 255, 255],
    [255, 0, 0],
    [0, 255, 0],
    [0, 0, 255],
    [12, 200, 99],
  ];
  for (let i = 0; i < 15; i++) image.rgb.set(colors[i % colors.length], i * 3);

  it('writes a baseline JFIF file of the right size with the comment', () => {
    const jpeg = encodeBlockJpeg(image, 'frame 7');
    expect([...jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    expect([...jpeg.subarray(-2)]).toEqual([0xff, 0xd9]);
    const parts = segments(jpeg);
    expect(parts.map((s) => s.marker)).toEqual([0xe0, 0xfe, 0xdb, 0xc0, 0xc4, 0xda]);
    expect(parts[0].body.subarray(0, 5).toString('latin1')).toBe('JFIF\0');
    expect(parts[1].body.toString()).toBe('frame 7');
    const sof = parts[3].body;
    expect({ height: sof.readUInt16BE(1), width: sof.readUInt16BE(3), components: sof[5] }).toEqual(
      { height: 24, width: 40, components: 3 },
    );
    expect(segments(encodeBlockJpeg(image)).map((s) => s.marker)).not.toContain(0xfe);
  });

  it('encodes every block so that decoding gives its colour back', () => {
    const decoded = decodeDcOnly(encodeBlockJpeg(image), 15);
    decoded.forEach((ycc, i) => {
      const expected = colors[i % colors.length];
      toRgb(ycc).forEach((channel, c) =>
        expect(Math.abs(channel - expected[c])).toBeLessThanOrEqual(3),
      );
    });
  });

  it('refuses impossible sizes', () => {
    expect(() => encodeBlockJpeg({ width: 0, height: 1, rgb: new Uint8Array(0) })).toThrow(
      RangeError,
    );
    expect(() => encodeBlockJpeg({ width: 2, height: 2, rgb: new Uint8Array(3) })).toThrow(
      RangeError,
    );
  });
});
