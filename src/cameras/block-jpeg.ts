/**
 * A tiny baseline JPEG encoder for images made of flat 8x8 blocks, so the demo cameras need
 * no native image library. A flat block has only a DC coefficient, so every block is one DC
 * difference and an end-of-block code: no DCT, no AC tables, a few microseconds per frame.
 * The output is an ordinary JFIF file (YCbCr, 4:4:4) that browsers and libjpeg decode.
 */

/** An image of `width` x `height` blocks; `rgb` holds 3 bytes per block, row by row. */
export interface BlockImage {
  width: number;
  height: number;
  rgb: Uint8Array;
}

export const BLOCK_SIZE = 8;

// ITU T.81 Annex K.3, table K.3: the standard luminance DC Huffman table.
const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
// The only AC symbol a flat block needs is end-of-block (0x00): one 1-bit code.
const AC_BITS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_VALUES = [0x00];
/** With a DC quantizer of 8, a flat block's quantized DC is exactly its level-shifted value. */
const QUANTIZER = 8;

interface Code {
  code: number;
  length: number;
}

/** Canonical Huffman codes from a DHT's code-length counts and symbols. */
function huffmanCodes(bits: number[], values: number[]): Map<number, Code> {
  const codes = new Map<number, Code>();
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    for (let i = 0; i < bits[length - 1]; i++) codes.set(values[k++], { code: code++, length });
    code <<= 1;
  }
  return codes;
}

const DC_CODES = huffmanCodes(DC_BITS, DC_VALUES);
const EOB = huffmanCodes(AC_BITS, AC_VALUES).get(0x00)!;

function segment(marker: number, body: number[]): number[] {
  const length = body.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...body];
}

function headers(widthPx: number, heightPx: number, comment: string): Buffer {
  const text = [...Buffer.from(comment.slice(0, 512), 'utf8')];
  const components = [1, 2, 3];
  return Buffer.from([
    0xff,
    0xd8, // SOI
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]), // JFIF 1.1
    ...(text.length > 0 ? segment(0xfe, text) : []), // COM
    ...segment(0xdb, [0x00, ...Array.from({ length: 64 }, () => QUANTIZER)]), // DQT 0
    ...segment(0xc0, [
      8,
      heightPx >> 8,
      heightPx & 0xff,
      widthPx >> 8,
      widthPx & 0xff,
      components.length,
      ...components.flatMap((id) => [id, 0x11, 0]),
    ]), // SOF0: baseline, 4:4:4, all on table 0
    ...segment(0xc4, [0x00, ...DC_BITS, ...DC_VALUES, 0x10, ...AC_BITS, ...AC_VALUES]), // DHT
    ...segment(0xda, [components.length, ...components.flatMap((id) => [id, 0x00]), 0, 63, 0]), // SOS
  ]);
}

/** Writes bits MSB first, stuffing a 0x00 after every 0xFF byte as JPEG requires. */
class BitWriter {
  private readonly bytes: number[] = [];
  private acc = 0;
  private count = 0;

  write(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >> i) & 1);
      if (++this.count === 8) this.flushByte();
    }
  }

  finish(): number[] {
    if (this.count > 0) this.write(0xff, 8 - this.count); // pad with 1-bits
    return this.bytes;
  }

  private flushByte(): void {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0x00);
    this.acc = 0;
    this.count = 0;
  }
}

function category(value: number): number {
  let magnitude = Math.abs(value);
  let bits = 0;
  while (magnitude > 0) {
    bits++;
    magnitude >>= 1;
  }
  return bits;
}

/** Encodes the image; `comment` goes into a COM segment (a frame number, a timestamp). */
export function encodeBlockJpeg(image: BlockImage, comment = ''): Buffer {
  const { width, height, rgb } = image;
  if (width < 1 || height < 1 || width * BLOCK_SIZE > 0xffff || height * BLOCK_SIZE > 0xffff) {
    throw new RangeError('image size out of range');
  }
  if (rgb.length !== width * height * 3) throw new RangeError('rgb must hold 3 bytes per block');
  const out = new BitWriter();
  const previous = [0, 0, 0];
  for (let i = 0; i < width * height; i++) {
    const r = rgb[i * 3];
    const g = rgb[i * 3 + 1];
    const b = rgb[i * 3 + 2];
    const ycc = [
      0.299 * r + 0.587 * g + 0.114 * b,
      128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
      128 + 0.5 * r - 0.418688 * g - 0.081312 * b,
    ];
    for (let c = 0; c < 3; c++) {
      const dc = Math.min(127, Math.max(-128, Math.round(ycc[c]) - 128));
      const diff = dc - previous[c];
      previous[c] = dc;
      const size = category(diff);
      const dcCode = DC_CODES.get(size)!;
      out.write(dcCode.code, dcCode.length);
      if (size > 0) out.write(diff >= 0 ? diff : diff + (1 << size) - 1, size);
      out.write(EOB.code, EOB.length);
    }
  }
  const scan = out.finish();
  return Buffer.concat([
    headers(width * BLOCK_SIZE, height * BLOCK_SIZE, comment),
    Buffer.from(scan),
    Buffer.from([0xff, 0xd9]), // EOI
  ]);
}
