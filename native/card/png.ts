/**
 * Tiny generated PNGs for the visual AP (name, address, security code, my number images and the
 * photo). A real card holds scanned images; the simulator holds a small greyscale picture whose
 * pattern is derived from the text, and the text itself in an iTXt chunk, so a trainer opening
 * the image sees it is a placeholder and software can still show what it stands for.
 * Deterministic: the same text gives the same bytes.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

export interface PlaceholderPngOptions {
  readonly width?: number;
  readonly height?: number;
  /** iTXt keyword, e.g. "Title". */
  readonly keyword?: string;
}

/** An 8-bit greyscale PNG, `width`×`height`, with `text` in an iTXt chunk (UTF-8). */
export function placeholderPng(text: string, opts: PlaceholderPngOptions = {}): Buffer {
  const width = opts.width ?? 48;
  const height = opts.height ?? 12;
  const seed = crypto.createHash('sha256').update(text, 'utf8').digest();
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      // Light background with a darker bar pattern from the text's hash: visibly "not a photo".
      const bit = (seed[(x >> 3) % seed.length]! >> (y % 8)) & 1;
      raw[y * (width + 1) + 1 + x] = bit ? 0x60 : 0xf0;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  const keyword = opts.keyword ?? 'Title';
  // iTXt: keyword NUL, compression flag, method, language NUL, translated keyword NUL, text.
  const itxt = Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(text, 'utf8')]);
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('iTXt', itxt),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The text a placeholder PNG stands for (its first iTXt chunk), or undefined. */
export function placeholderPngText(png: Uint8Array): string | undefined {
  const buf = Buffer.from(png);
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) return undefined;
  let off = 8;
  while (off + 8 <= buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('ascii', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'iTXt') {
      const k = data.indexOf(0);
      // keyword NUL, 2 flag bytes, language NUL, translated keyword NUL.
      let p = k + 3;
      p = data.indexOf(0, p) + 1;
      p = data.indexOf(0, p) + 1;
      return data.subarray(p).toString('utf8');
    }
    off += 12 + len;
  }
  return undefined;
}
