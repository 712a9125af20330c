/**
 * ISO 7816-4 command and response APDUs as small typed values.
 *
 * One encoder and one parser serve both sides of the wire: the kiosk's JPKI client builds commands
 * here, and the virtual card parses them here, so the two can never disagree on a case or a length.
 */

/** A command APDU. `le` is the number of bytes expected (256 / 65536 for "as many as there are"). */
export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  /** Command data (absent or empty for cases 1 and 2). */
  readonly data?: Uint8Array;
  /** Expected response length: absent for cases 1 and 3; 1–256 (short) or 1–65536 (extended). */
  readonly le?: number;
}

export type ApduCase = 1 | 2 | 3 | 4;

/** CLA INS P1 P2: the shortest command APDU there is (ISO 7816-4 case 1). */
export const APDU_HEADER_LENGTH = 4;

export class ApduFormatError extends Error {
  readonly code = 'APDU_FORMAT';
  constructor(message: string) {
    super(message);
    this.name = 'ApduFormatError';
  }
}

export function apduCase(apdu: CommandApdu): ApduCase {
  const hasData = apdu.data !== undefined && apdu.data.length > 0;
  const hasLe = apdu.le !== undefined;
  if (!hasData) return hasLe ? 2 : 1;
  return hasLe ? 4 : 3;
}

function checkByte(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new ApduFormatError(`${name} must be a byte, got ${v}`);
}

/** Whether the APDU needs the extended-length form (Lc > 255 or Le > 256). */
export function needsExtended(apdu: CommandApdu): boolean {
  const lc = apdu.data?.length ?? 0;
  return lc > 255 || (apdu.le !== undefined && apdu.le > 256);
}

/**
 * Encodes a command APDU. Short form unless `extended` is asked for or the lengths need it.
 * Le = 256 (short) and 65536 (extended) are encoded as 00 / 00 00, per ISO 7816-4.
 */
export function encodeCommand(apdu: CommandApdu, opts: { extended?: boolean } = {}): Buffer {
  checkByte('CLA', apdu.cla);
  checkByte('INS', apdu.ins);
  checkByte('P1', apdu.p1);
  checkByte('P2', apdu.p2);
  const data = apdu.data ?? new Uint8Array(0);
  const le = apdu.le;
  if (data.length > 65535) throw new ApduFormatError(`command data too long: ${data.length} bytes`);
  if (le !== undefined && (!Number.isInteger(le) || le < 1 || le > 65536)) {
    throw new ApduFormatError(`Le must be 1..65536, got ${le}`);
  }
  const extended = opts.extended === true || needsExtended(apdu);
  const header = [apdu.cla, apdu.ins, apdu.p1, apdu.p2];
  const parts: number[] = [...header];
  if (!extended) {
    if (data.length > 0) parts.push(data.length, ...data);
    if (le !== undefined) parts.push(le === 256 ? 0 : le);
    return Buffer.from(parts);
  }
  // Extended: a single 00 marker byte, then 2-byte Lc and/or Le (the marker appears once).
  parts.push(0);
  if (data.length > 0) parts.push(data.length >> 8, data.length & 0xff, ...data);
  if (le !== undefined) {
    const v = le === 65536 ? 0 : le;
    parts.push(v >> 8, v & 0xff);
  }
  return Buffer.from(parts);
}

/** A parsed command with the form it arrived in, for the card side. */
export interface ParsedCommand extends CommandApdu {
  readonly case: ApduCase;
  readonly extended: boolean;
  readonly data: Uint8Array;
}

/** Parses a command APDU as a card receives it. Throws ApduFormatError on a malformed length. */
export function parseCommand(bytes: Uint8Array): ParsedCommand {
  if (bytes.length < APDU_HEADER_LENGTH) throw new ApduFormatError(`APDU shorter than its header: ${bytes.length} bytes`);
  const [cla, ins, p1, p2] = bytes as unknown as [number, number, number, number];
  const body = bytes.subarray(4);
  const empty = new Uint8Array(0);
  const n = body.length;
  if (n === 0) return { cla, ins, p1, p2, data: empty, case: 1, extended: false };
  if (n === 1) return { cla, ins, p1, p2, data: empty, le: body[0] === 0 ? 256 : body[0]!, case: 2, extended: false };
  const b0 = body[0]!;
  if (b0 !== 0) {
    // Short case 3 or 4.
    const lc = b0;
    if (n === 1 + lc) return { cla, ins, p1, p2, data: body.subarray(1), case: 3, extended: false };
    if (n === 2 + lc) {
      const le = body[1 + lc]!;
      return { cla, ins, p1, p2, data: body.subarray(1, 1 + lc), le: le === 0 ? 256 : le, case: 4, extended: false };
    }
    throw new ApduFormatError(`Lc=${lc} does not match the ${n - 1} bytes that follow it`);
  }
  // b0 == 0 and n >= 2: extended form.
  if (n === 3) {
    const le = (body[1]! << 8) | body[2]!;
    return { cla, ins, p1, p2, data: empty, le: le === 0 ? 65536 : le, case: 2, extended: true };
  }
  if (n < 3) throw new ApduFormatError('truncated extended length');
  const lc = (body[1]! << 8) | body[2]!;
  if (lc === 0) throw new ApduFormatError('extended Lc of zero');
  if (n === 3 + lc) return { cla, ins, p1, p2, data: body.subarray(3), case: 3, extended: true };
  if (n === 5 + lc) {
    const le = (body[3 + lc]! << 8) | body[4 + lc]!;
    return { cla, ins, p1, p2, data: body.subarray(3, 3 + lc), le: le === 0 ? 65536 : le, case: 4, extended: true };
  }
  throw new ApduFormatError(`extended Lc=${lc} does not match the ${n - 3} bytes that follow it`);
}

/** A response APDU: data and the two status bytes. */
export interface ResponseApdu {
  readonly data: Buffer;
  readonly sw: number;
}

export function parseResponse(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) throw new ApduFormatError(`response shorter than a status word: ${bytes.length} bytes`);
  const n = bytes.length;
  return {
    data: Buffer.from(bytes.subarray(0, n - 2)),
    sw: (bytes[n - 2]! << 8) | bytes[n - 1]!,
  };
}

export function encodeResponse(data: Uint8Array | undefined, sw: number): Buffer {
  const d = data ?? new Uint8Array(0);
  const out = Buffer.alloc(d.length + 2);
  out.set(d, 0);
  out.writeUInt16BE(sw & 0xffff, d.length);
  return out;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

/** Parses "00 A4 04 0C" style hex (spaces optional). */
export function fromHex(text: string): Buffer {
  const clean = text.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new ApduFormatError(`not hex: ${text}`);
  return Buffer.from(clean, 'hex');
}
