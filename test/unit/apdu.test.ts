import { describe, expect, it } from 'vitest';
import { apduCase, encodeCommand, fromHex, hex, parseCommand, parseResponse, encodeResponse, ApduFormatError } from '../../native/apdu/apdu';
import { describeSw, triesLeftFromSw, triesLeftSw } from '../../native/apdu/status';

describe('command APDU encoding (ISO 7816-4 cases 1–4)', () => {
  const table: Array<[string, Parameters<typeof encodeCommand>[0], { extended?: boolean }, string]> = [
    ['case 1: tries left (empty VERIFY)', { cla: 0, ins: 0x20, p1: 0, p2: 0x80 }, {}, '00200080'],
    ['case 2 short, Le=4', { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 4 }, {}, '00B0000004'],
    ['case 2 short, Le=256 → 00', { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 256 }, {}, '00B0000000'],
    ['case 3 short: SELECT JPKI AP', { cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: fromHex('D392F000260100000001') }, {}, '00A4040C0AD392F000260100000001'],
    ['case 4 short: sign with Le=00', { cla: 0x80, ins: 0x2a, p1: 0, p2: 0x80, data: fromHex('0102'), le: 256 }, {}, '802A0080020102' + '00'],
    ['case 2 extended, Le=0x061F', { cla: 0, ins: 0xb0, p1: 0, p2: 4, le: 0x61f }, {}, '00B0000400061F'],
    ['case 2 extended, Le=65536 → 0000', { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 65536 }, {}, '00B00000000000'],
    ['case 2 forced extended', { cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 4 }, { extended: true }, '00B00000000004'],
    ['case 3 extended (Lc 256)', { cla: 0, ins: 0xd6, p1: 0, p2: 0, data: new Uint8Array(256).fill(0xaa) }, {}, '00D6000000' + '0100' + 'AA'.repeat(256)],
    ['case 4 extended', { cla: 0, ins: 0x2a, p1: 0, p2: 0, data: fromHex('01'), le: 300 }, {}, '002A000000000101' + '012C'],
  ];
  it.each(table)('%s', (_name, apdu, opts, expected) => {
    const bytes = encodeCommand(apdu, opts);
    expect(hex(bytes)).toBe(expected);
    // The card's parser reads back exactly what was encoded.
    const parsed = parseCommand(bytes);
    expect(parsed.case).toBe(apduCase(apdu));
    expect(parsed.le).toBe(apdu.le);
    expect(hex(parsed.data)).toBe(hex(apdu.data ?? new Uint8Array()));
  });

  it('rejects out-of-range header bytes and lengths', () => {
    expect(() => encodeCommand({ cla: 0x100, ins: 0, p1: 0, p2: 0 })).toThrow(ApduFormatError);
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, le: 0 })).toThrow(/Le must be/);
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, le: 70000 })).toThrow(/Le must be/);
  });
});

describe('command APDU parsing of malformed input', () => {
  it.each([
    ['too short', '00A404'],
    ['Lc longer than the data', '00A4040C0AD392'],
    ['Lc shorter than the data by two', '00A4040C01AABBCC'],
    ['extended Lc of zero', '00A4040000000001'],
    ['extended truncated', '00A404000000'],
  ])('%s → ApduFormatError', (_n, h) => {
    expect(() => parseCommand(fromHex(h))).toThrow(ApduFormatError);
  });
});

describe('response APDUs and status words', () => {
  it('splits data from SW1 SW2 and back', () => {
    const r = parseResponse(fromHex('308206CA9000'));
    expect(hex(r.data)).toBe('308206CA');
    expect(r.sw).toBe(0x9000);
    expect(hex(encodeResponse(r.data, r.sw))).toBe('308206CA9000');
  });
  it('reads tries left from 63 Cx and names status words', () => {
    expect(triesLeftSw(3)).toBe(0x63c3);
    expect(triesLeftFromSw(0x63c0)).toBe(0);
    expect(triesLeftFromSw(0x9000)).toBeUndefined();
    expect(describeSw(0x6a82)).toBe('6A82 FILE_NOT_FOUND');
    expect(describeSw(0x63c2)).toBe('63C2 VERIFY_FAILED (tries left 2)');
  });
  it('refuses a response without a status word', () => {
    expect(() => parseResponse(fromHex('90'))).toThrow(ApduFormatError);
  });
});

describe('short/extended boundaries', () => {
  it('stays short up to Lc 255 and Le 256, and goes extended past them', () => {
    const d255 = new Uint8Array(255).fill(1);
    const d256 = new Uint8Array(256).fill(1);
    expect(encodeCommand({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: d255, le: 256 }).length).toBe(4 + 1 + 255 + 1);
    expect(encodeCommand({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: d256 }).length).toBe(4 + 3 + 256);
    expect(hex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le: 257 }))).toBe('00B00000000101');
  });

  it('round-trips the largest extended command and Le 65536', () => {
    const data = new Uint8Array(65535).map((_, i) => i & 0xff);
    const bytes = encodeCommand({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data, le: 65536 });
    expect(bytes.length).toBe(4 + 3 + 65535 + 2);
    const parsed = parseCommand(bytes);
    expect(parsed).toMatchObject({ case: 4, extended: true, le: 65536 });
    expect(Buffer.from(parsed.data).equals(Buffer.from(data))).toBe(true);
    expect(() => encodeCommand({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: new Uint8Array(65536) })).toThrow(ApduFormatError);
  });

  it('reads a bare status word as an empty response', () => {
    expect(parseResponse(fromHex('6A82'))).toEqual({ data: Buffer.alloc(0), sw: 0x6a82 });
  });
});
