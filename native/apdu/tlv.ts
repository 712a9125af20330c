/**
 * BER-TLV encoding and decoding for the card's data files (certificates are DER already; the text
 * and visual APs hold `FF20 {DF21 …}` style private-class TLVs, docs/card.md §6).
 *
 * Tags are given as the number their bytes spell (0x30, 0xDF21, 0xFF20), because that is how every
 * public write-up names them.
 */

export class TlvError extends Error {
  readonly code = 'TLV_FORMAT';
  constructor(message: string) {
    super(message);
    this.name = 'TlvError';
  }
}

function tagBytes(tag: number): number[] {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xffffff) throw new TlvError(`tag out of range: ${tag}`);
  if (tag <= 0xff) return [tag];
  if (tag <= 0xffff) return [tag >> 8, tag & 0xff];
  return [tag >> 16, (tag >> 8) & 0xff, tag & 0xff];
}

/** DER length: short form below 128, else 81 xx / 82 xx xx. */
export function encodeLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n <= 0xff) return [0x81, n];
  if (n <= 0xffff) return [0x82, n >> 8, n & 0xff];
  throw new TlvError(`length too large for a card file: ${n}`);
}

export function tlv(tag: number, value: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([...tagBytes(tag), ...encodeLength(value.length)]), value]);
}

export interface TlvHeader {
  readonly tag: number;
  /** Bytes taken by tag and length. */
  readonly headerLength: number;
  readonly valueLength: number;
}

/**
 * Reads a TLV header at `offset`. Multi-byte tags follow BER: a first byte whose low five bits are
 * all ones continues while the next byte has bit 8 set.
 */
export function readTlvHeader(bytes: Uint8Array, offset = 0): TlvHeader {
  let i = offset;
  const need = (n: number) => {
    if (i + n > bytes.length) throw new TlvError('truncated TLV header');
  };
  need(1);
  let tag = bytes[i++]!;
  if ((tag & 0x1f) === 0x1f) {
    for (;;) {
      need(1);
      const b = bytes[i++]!;
      tag = (tag << 8) | b;
      if ((b & 0x80) === 0) break;
      if (i - offset > 3) throw new TlvError('tag longer than 3 bytes');
    }
  }
  need(1);
  const first = bytes[i++]!;
  let len: number;
  if (first < 0x80) len = first;
  else {
    const n = first & 0x7f;
    if (n === 0 || n > 3) throw new TlvError(`unsupported length form 0x${first.toString(16)}`);
    need(n);
    len = 0;
    for (let k = 0; k < n; k++) len = (len << 8) | bytes[i++]!;
  }
  return { tag, headerLength: i - offset, valueLength: len };
}

export interface TlvItem {
  readonly tag: number;
  readonly value: Buffer;
}

/** Splits a run of concatenated TLVs (the value of a constructed TLV). */
export function parseTlvs(bytes: Uint8Array): TlvItem[] {
  const out: TlvItem[] = [];
  let off = 0;
  while (off < bytes.length) {
    const h = readTlvHeader(bytes, off);
    const start = off + h.headerLength;
    const end = start + h.valueLength;
    if (end > bytes.length) throw new TlvError(`TLV ${h.tag.toString(16)} runs past the end`);
    out.push({ tag: h.tag, value: Buffer.from(bytes.subarray(start, end)) });
    off = end;
  }
  return out;
}
