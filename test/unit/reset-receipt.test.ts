/**
 * The reset receipt's format (native/jpki/reset-mac.ts), shared by the card that writes it and the
 * center that checks it: the layout and MAC exactly as specified, and nothing else accepted.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RECEIPT_LENGTH, RESET_PIN_REF } from '../../native/jpki/constants';
import { DEV_MASTER_KEY, diversifyResetKey, encodeResetReceipt, parseResetReceipt, resetReceiptMac, verifyResetReceipt } from '../../native/jpki/reset-mac';

const KEY = diversifyResetKey(DEV_MASTER_KEY, '0A1B2C3D');
const OTHER_KEY = diversifyResetKey(DEV_MASTER_KEY, '0A1B2C3E');
const LAST = Buffer.from('0123456789abcdef', 'hex');
const CURRENT = Buffer.from('fedcba9876543210', 'hex');

describe('reset receipt format', () => {
  it('is count(2, big-endian) ‖ last(8) ‖ current(8) ‖ HMAC-SHA256(key, label 00 ‖ PIN ref ‖ those 18 bytes)[0..16]', () => {
    const bytes = encodeResetReceipt(KEY, 'sign', 0x0102, LAST, CURRENT);
    expect(RECEIPT_LENGTH).toBe(34);
    expect(bytes).toHaveLength(RECEIPT_LENGTH);
    const body = Buffer.concat([Buffer.from([0x01, 0x02]), LAST, CURRENT]);
    expect(bytes.subarray(0, 18)).toEqual(body);
    // Written out from the spec, independently of the implementation.
    const mac = crypto
      .createHmac('sha256', KEY)
      .update(Buffer.concat([Buffer.from('kiosk-sim/reset-receipt/v1', 'ascii'), Buffer.from([0x00, RESET_PIN_REF.sign]), body]))
      .digest()
      .subarray(0, 16);
    expect(bytes.subarray(18)).toEqual(mac);
    expect(resetReceiptMac(KEY, 'sign', 0x0102, LAST, CURRENT)).toEqual(mac);
  });

  it('verifies with the card key and kind: challenges in upper-case hex, null for none', () => {
    expect(verifyResetReceipt(KEY, 'sign', encodeResetReceipt(KEY, 'sign', 3, LAST, CURRENT))).toEqual({
      count: 3,
      lastChallenge: '0123456789ABCDEF',
      currentChallenge: 'FEDCBA9876543210',
    });
    const fresh = encodeResetReceipt(KEY, 'auth', 0, null, null);
    expect(fresh.subarray(0, 18)).toEqual(Buffer.alloc(18));
    expect(verifyResetReceipt(KEY, 'auth', fresh)).toEqual({ count: 0, lastChallenge: null, currentChallenge: null });
    expect(verifyResetReceipt(KEY, 'auth', encodeResetReceipt(KEY, 'auth', 0, null, CURRENT))).toEqual({ count: 0, lastChallenge: null, currentChallenge: 'FEDCBA9876543210' });
    expect(verifyResetReceipt(KEY, 'auth', encodeResetReceipt(KEY, 'auth', 65535, LAST, null))).toEqual({ count: 65535, lastChallenge: '0123456789ABCDEF', currentChallenge: null });
  });

  it('refuses every changed byte, the other PIN, another card, and other lengths', () => {
    const bytes = encodeResetReceipt(KEY, 'sign', 1, LAST, null);
    expect(verifyResetReceipt(KEY, 'sign', bytes)).not.toBeNull();
    for (let i = 0; i < bytes.length; i++) {
      const t = Buffer.from(bytes);
      t[i] = t[i]! ^ 0x01;
      expect(verifyResetReceipt(KEY, 'sign', t), `byte ${i}`).toBeNull();
    }
    expect(verifyResetReceipt(KEY, 'auth', bytes)).toBeNull();
    expect(verifyResetReceipt(OTHER_KEY, 'sign', bytes)).toBeNull();
    expect(verifyResetReceipt(KEY, 'sign', bytes.subarray(0, 33))).toBeNull();
    expect(verifyResetReceipt(KEY, 'sign', Buffer.concat([bytes, Buffer.from([0x90])]))).toBeNull();
    expect(verifyResetReceipt(KEY, 'sign', new Uint8Array(0))).toBeNull();
  });

  it('parses without a key (display only), but not a count of 0 with a last challenge', () => {
    const bytes = encodeResetReceipt(KEY, 'sign', 2, LAST, CURRENT);
    expect(parseResetReceipt(bytes)).toEqual({ count: 2, lastChallenge: '0123456789ABCDEF', currentChallenge: 'FEDCBA9876543210' });
    const odd = Buffer.from(bytes);
    odd.writeUInt16BE(0, 0);
    expect(parseResetReceipt(odd)).toBeNull();
    expect(parseResetReceipt(bytes.subarray(1))).toBeNull();
  });

  it('refuses to encode what a card cannot hold', () => {
    expect(() => encodeResetReceipt(KEY, 'sign', 0, LAST, null)).toThrow(/count 0/);
    expect(() => encodeResetReceipt(KEY, 'sign', 65536, LAST, null)).toThrow(/0–65535/);
    expect(() => encodeResetReceipt(KEY, 'sign', -1, null, null)).toThrow(/0–65535/);
    expect(() => encodeResetReceipt(KEY, 'sign', 1.5, LAST, null)).toThrow(/0–65535/);
    expect(() => encodeResetReceipt(KEY, 'sign', 1, LAST.subarray(1), null)).toThrow(/8 bytes/);
    expect(() => resetReceiptMac(KEY, 'sign', 1, LAST, Buffer.alloc(9))).toThrow(/8 bytes/);
  });
});
