/**
 * The reset receipt's format (native/jpki/reset-receipt.ts), shared by the card that writes it and
 * the center that checks it: the layout and MAC exactly as specified, and nothing else accepted.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RESET_PIN_REF } from '../../native/jpki/constants';
import { DEV_MASTER_KEY, diversifyResetKey } from '../../native/jpki/reset-mac';
import {
  encodeResetReceipt,
  judgeAuthorization,
  parseResetReceipt,
  RECEIPT_LENGTH,
  verifyResetReceipt,
  type AuthorizedChallenge,
  type ResetReceipt,
} from '../../native/jpki/reset-receipt';

const KEY = diversifyResetKey(DEV_MASTER_KEY, '0A1B2C3D');
const OTHER_KEY = diversifyResetKey(DEV_MASTER_KEY, '0A1B2C3E');
const LAST = '0123456789ABCDEF';
const CURRENT = 'FEDCBA9876543210';
const SAMPLE: ResetReceipt = { resetCount: 0x0102, lastChallenge: LAST, currentChallenge: CURRENT, challengeSeq: 0x0a0b0c0d };

describe('reset receipt format', () => {
  it('is resetCount(2) ‖ last(8) ‖ current(8) ‖ challengeSeq(4), big-endian, ‖ HMAC-SHA256(key, label 00 ‖ PIN ref ‖ those 22 bytes)[0..16]', () => {
    const bytes = encodeResetReceipt(KEY, 'sign', SAMPLE);
    expect(RECEIPT_LENGTH).toBe(38);
    expect(bytes).toHaveLength(RECEIPT_LENGTH);
    const body = Buffer.from(`0102${LAST}${CURRENT}0A0B0C0D`, 'hex');
    expect(bytes.subarray(0, 22)).toEqual(body);
    // Written out from the spec, independently of the implementation.
    const mac = crypto
      .createHmac('sha256', KEY)
      .update(Buffer.concat([Buffer.from('kiosk-sim/reset-receipt/v1', 'ascii'), Buffer.from([0x00, RESET_PIN_REF.sign]), body]))
      .digest()
      .subarray(0, 16);
    expect(bytes.subarray(22)).toEqual(mac);
  });

  it('verifies with the card key and kind: challenges in upper-case hex, zeros for none', () => {
    expect(verifyResetReceipt(KEY, 'sign', encodeResetReceipt(KEY, 'sign', SAMPLE))).toEqual(SAMPLE);
    const none: ResetReceipt = { resetCount: 0, lastChallenge: null, currentChallenge: null, challengeSeq: 0 };
    const fresh = encodeResetReceipt(KEY, 'auth', none);
    expect(fresh.subarray(0, 22)).toEqual(Buffer.alloc(22));
    expect(verifyResetReceipt(KEY, 'auth', fresh)).toEqual(none);
    for (const r of [
      { resetCount: 0, lastChallenge: null, currentChallenge: CURRENT, challengeSeq: 1 },
      { resetCount: 65535, lastChallenge: LAST, currentChallenge: null, challengeSeq: 0xffffffff },
    ]) {
      expect(verifyResetReceipt(KEY, 'auth', encodeResetReceipt(KEY, 'auth', r))).toEqual(r);
    }
  });

  it('refuses every changed byte, the other PIN, another card, and other lengths (the 34-byte receipt too)', () => {
    const bytes = encodeResetReceipt(KEY, 'sign', SAMPLE);
    expect(verifyResetReceipt(KEY, 'sign', bytes)).not.toBeNull();
    for (let i = 0; i < bytes.length; i++) {
      const t = Buffer.from(bytes);
      t[i] = t[i]! ^ 0x01;
      expect(verifyResetReceipt(KEY, 'sign', t), `byte ${i}`).toBeNull();
    }
    expect(verifyResetReceipt(KEY, 'auth', bytes)).toBeNull();
    expect(verifyResetReceipt(OTHER_KEY, 'sign', bytes)).toBeNull();
    for (const n of [0, 34, 37]) expect(verifyResetReceipt(KEY, 'sign', bytes.subarray(0, n)), `${n} bytes`).toBeNull();
    expect(verifyResetReceipt(KEY, 'sign', Buffer.concat([bytes, Buffer.from([0x90])]))).toBeNull();
  });

  it('verifies a receipt inside a larger buffer (a response APDU without its status word)', () => {
    const response = Buffer.concat([Buffer.from([0xaa]), encodeResetReceipt(KEY, 'sign', SAMPLE), Buffer.from([0x90, 0x00])]);
    expect(verifyResetReceipt(KEY, 'sign', response.subarray(1, -2))).toEqual(SAMPLE);
  });

  it('parses without a key (display only)', () => {
    const bytes = encodeResetReceipt(KEY, 'sign', SAMPLE);
    expect(parseResetReceipt(bytes)).toEqual(SAMPLE);
    const forged = Buffer.from(bytes);
    forged[30] = forged[30]! ^ 0xff;
    expect(parseResetReceipt(forged)).toEqual(SAMPLE); // parsing checks no MAC
    expect(parseResetReceipt(bytes.subarray(1))).toBeNull();
  });

  it('is malformed with a last challenge and a reset count of 0, even under a right MAC', () => {
    const body = Buffer.from(`0000${LAST}${CURRENT}00000001`, 'hex');
    const mac = crypto
      .createHmac('sha256', KEY)
      .update(Buffer.concat([Buffer.from('kiosk-sim/reset-receipt/v1\0', 'ascii'), Buffer.from([RESET_PIN_REF.sign]), body]))
      .digest()
      .subarray(0, 16);
    const bytes = Buffer.concat([body, mac]);
    expect(parseResetReceipt(bytes)).toBeNull();
    expect(verifyResetReceipt(KEY, 'sign', bytes)).toBeNull();
    // The same bytes with a count of 1, correctly MACed, are a receipt.
    const one = encodeResetReceipt(KEY, 'sign', { resetCount: 1, lastChallenge: LAST, currentChallenge: CURRENT, challengeSeq: 1 });
    expect(one.subarray(2, 22)).toEqual(body.subarray(2));
    expect(verifyResetReceipt(KEY, 'sign', one)).not.toBeNull();
  });

  it('refuses to encode what a card cannot hold', () => {
    const bad: Array<[string, Partial<ResetReceipt>]> = [
      ['reset count 65536', { resetCount: 65536 }],
      ['reset count -1', { resetCount: -1 }],
      ['reset count 1.5', { resetCount: 1.5 }],
      ['challenge number 2^32', { challengeSeq: 0x100000000 }],
      ['challenge number -1', { challengeSeq: -1 }],
      ['challenge number 1.5', { challengeSeq: 1.5 }],
      ['a 7-byte last challenge', { lastChallenge: LAST.slice(2) }],
      ['a 9-byte current challenge', { currentChallenge: CURRENT + '00' }],
      ['an all-zero challenge (that is "none")', { currentChallenge: '0000000000000000' }],
      ['a last challenge with reset count 0', { resetCount: 0, lastChallenge: LAST }],
    ];
    for (const [what, patch] of bad) expect(() => encodeResetReceipt(KEY, 'sign', { ...SAMPLE, ...patch }), what).toThrow(RangeError);
  });
});

describe('judgeAuthorization: what a later receipt proves about an authorized challenge', () => {
  const C = 'C0C1C2C3C4C5C6C7';
  const OTHER = '0102030405060708';
  const A: AuthorizedChallenge = { challenge: C, resetCount: 3, challengeSeq: 10 };
  const r = (resetCount: number, lastChallenge: string | null, challengeSeq: number, currentChallenge: string | null = null): ResetReceipt => ({
    resetCount,
    lastChallenge,
    currentChallenge,
    challengeSeq,
  });
  const rows: Array<[string, AuthorizedChallenge, ResetReceipt, 'used' | 'unused' | 'unknown']> = [
    ['the last reset was made with the authorized challenge', A, r(4, C, 10), 'used'],
    ['... and challenges were given out since', A, r(4, C, 12, OTHER), 'used'],
    ['... whatever the authorization recorded', { challenge: C, resetCount: null, challengeSeq: null }, r(1, C, 1), 'used'],
    ['a newer receipt, no reset since', A, r(3, OTHER, 11), 'unused'],
    ['a newer receipt, no reset ever', { challenge: C, resetCount: 0, challengeSeq: 10 }, r(0, null, 11, OTHER), 'unused'],
    ['a newer receipt, one reset since with another challenge', A, r(4, OTHER, 11), 'unused'],
    ['a much newer receipt, one reset since with another challenge', A, r(4, OTHER, 0xffffffff), 'unused'],
    ['the same challenge number (the challenge may still be held)', A, r(3, OTHER, 10, C), 'unknown'],
    ['the same challenge number, one reset since', A, r(4, OTHER, 10), 'unknown'],
    ['a lower challenge number (an older receipt)', A, r(3, OTHER, 9), 'unknown'],
    ['an authorization without its reset count', { ...A, resetCount: null }, r(3, OTHER, 11), 'unknown'],
    ['an authorization without its challenge number', { ...A, challengeSeq: null }, r(3, OTHER, 11), 'unknown'],
    ['two resets since, the last with another challenge', A, r(5, OTHER, 11), 'unknown'],
    ['many resets since, the last with another challenge', A, r(40, OTHER, 100), 'unknown'],
    ['fewer resets than the authorization recorded', A, r(2, OTHER, 11), 'unknown'],
  ];
  it.each(rows)('%s', (_what, authorization, receipt, verdict) => {
    expect(judgeAuthorization(authorization, receipt)).toBe(verdict);
  });
});
