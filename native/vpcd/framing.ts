/**
 * vpcd wire framing (vsmartcard): every message, both ways, is `uint16 BE length ‖ payload`.
 * A 1-byte payload from vpcd holding one of its four control bytes is a control message (the card
 * answers only GET_ATR); anything else is a command APDU, to be answered. vpcd forwards an
 * application's APDU unchanged, so a 1-byte APDU 00, 01, 02 or 04 cannot be told from control.
 */

export const VPCD_CONTROL = {
  POWER_OFF: 0x00,
  POWER_ON: 0x01,
  RESET: 0x02,
  GET_ATR: 0x04,
} as const;

export const VPCD_DEFAULT_PORT = 0x8c7b; // 35963; slot 1 is 35964
export const VPCD_MAX_PAYLOAD = 0xffff;

export type VpcdMessage =
  | { readonly kind: 'control'; readonly control: 'power-off' | 'power-on' | 'reset' | 'get-atr' }
  | { readonly kind: 'apdu'; readonly apdu: Buffer };

export class VpcdFramingError extends Error {
  readonly code = 'VPCD_FRAMING';
}

/** One buffer holding length and payload, so it goes out in one write (see docs/card.md §9). */
export function encodeFrame(payload: Uint8Array): Buffer {
  if (payload.length > VPCD_MAX_PAYLOAD) throw new VpcdFramingError(`payload too long: ${payload.length}`);
  const out = Buffer.allocUnsafe(payload.length + 2);
  out.writeUInt16BE(payload.length, 0);
  out.set(payload, 2);
  return out;
}

export function classify(payload: Buffer): VpcdMessage {
  if (payload.length === 1) {
    switch (payload[0]) {
      case VPCD_CONTROL.POWER_OFF:
        return { kind: 'control', control: 'power-off' };
      case VPCD_CONTROL.POWER_ON:
        return { kind: 'control', control: 'power-on' };
      case VPCD_CONTROL.RESET:
        return { kind: 'control', control: 'reset' };
      case VPCD_CONTROL.GET_ATR:
        return { kind: 'control', control: 'get-atr' };
      default:
        // vpcd 0.8 sends no other control byte: this is an application's (malformed) APDU.
        break;
    }
  }
  return { kind: 'apdu', apdu: payload };
}

/**
 * Reassembles frames from a TCP byte stream, which may split or merge them arbitrarily.
 * Zero-length frames carry nothing and are skipped.
 */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): VpcdMessage[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: VpcdMessage[] = [];
    let off = 0;
    while (this.pending.length - off >= 2) {
      const len = this.pending.readUInt16BE(off);
      if (this.pending.length - off - 2 < len) break;
      const payload = this.pending.subarray(off + 2, off + 2 + len);
      off += 2 + len;
      if (len > 0) out.push(classify(Buffer.from(payload)));
    }
    this.pending = off === this.pending.length ? Buffer.alloc(0) : this.pending.subarray(off);
    return out;
  }

  /** Bytes received but not yet a whole frame. */
  get buffered(): number {
    return this.pending.length;
  }
}
