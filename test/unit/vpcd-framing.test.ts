import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, VpcdFramingError } from '../../native/vpcd/framing';

describe('vpcd framing', () => {
  it('prefixes the big-endian length in the same buffer', () => {
    expect(encodeFrame(Buffer.from([0x90, 0x00])).toString('hex')).toBe('00029000');
    expect(() => encodeFrame(new Uint8Array(0x10000))).toThrow(VpcdFramingError);
  });

  it('classifies vpcd control bytes and APDUs; a 1-byte payload vpcd never sends as control is an APDU', () => {
    const d = new FrameDecoder();
    const msgs = d.push(Buffer.concat([encodeFrame(Buffer.from([0x04])), encodeFrame(Buffer.from([0x01])), encodeFrame(Buffer.from([0x00])), encodeFrame(Buffer.from([0x02])), encodeFrame(Buffer.from([0x07])), encodeFrame(Buffer.from('00200080', 'hex'))]));
    expect(msgs).toEqual([
      { kind: 'control', control: 'get-atr' },
      { kind: 'control', control: 'power-on' },
      { kind: 'control', control: 'power-off' },
      { kind: 'control', control: 'reset' },
      { kind: 'apdu', apdu: Buffer.from([0x07]) },
      { kind: 'apdu', apdu: Buffer.from('00200080', 'hex') },
    ]);
  });

  it('reassembles frames split at every byte boundary, as vpcd 0.8 sends them', () => {
    const apdu = Buffer.from('00A4040C0AD392F000260100000001', 'hex');
    const wire = Buffer.concat([encodeFrame(apdu), encodeFrame(Buffer.from([0x04]))]);
    for (let cut = 0; cut <= wire.length; cut++) {
      const d = new FrameDecoder();
      const msgs = [...d.push(wire.subarray(0, cut)), ...d.push(wire.subarray(cut))];
      expect(msgs).toEqual([{ kind: 'apdu', apdu }, { kind: 'control', control: 'get-atr' }]);
      expect(d.buffered).toBe(0);
    }
  });

  it('keeps a partial frame until the rest arrives and skips empty frames', () => {
    const d = new FrameDecoder();
    expect(d.push(Buffer.from([0x00, 0x00, 0x00]))).toEqual([]);
    expect(d.buffered).toBe(1);
    expect(d.push(Buffer.from([0x01, 0x01]))).toEqual([{ kind: 'control', control: 'power-on' }]);
  });
});

describe('vpcd framing at the size limit', () => {
  it('carries a 65535-byte payload split across many chunks, followed by more frames', () => {
    const big = Buffer.alloc(0xffff, 0x5a);
    const wire = Buffer.concat([encodeFrame(big), encodeFrame(Buffer.from([0x04])), encodeFrame(Buffer.from('9000', 'hex')).subarray(0, 3)]);
    const d = new FrameDecoder();
    const msgs = [];
    for (let off = 0; off < wire.length; off += 1460) msgs.push(...d.push(wire.subarray(off, off + 1460)));
    expect(msgs).toHaveLength(2);
    expect(msgs[0]).toMatchObject({ kind: 'apdu' });
    expect((msgs[0] as { apdu: Buffer }).apdu.equals(big)).toBe(true);
    expect(msgs[1]).toEqual({ kind: 'control', control: 'get-atr' });
    expect(d.buffered).toBe(3);
  });
});
