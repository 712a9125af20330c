/**
 * The card's reset receipt (docs/reset-protocol.md, "The card's evidence"): what the virtual card
 * says, under its own reset key, about its resets of one kind. The kiosk reads it with GET RESET
 * RECEIPT and passes it on; the center checks it with the key it diversifies for the card, so a
 * kiosk can neither forge nor alter it.
 *
 * 38 bytes: reset count (2, big-endian) ‖ challenge of the last reset (8; zeros: none) ‖ challenge
 * the card holds now (8; zeros: none) ‖ challenges given out so far (4, big-endian) ‖ MAC (16) =
 * HMAC-SHA256(card reset key, "kiosk-sim/reset-receipt/v1" 00 ‖ PIN ref ‖ the 22 bytes before)[0..16].
 * The challenge number never goes back (the card stores it before it answers GET CHALLENGE), so a
 * receipt with a higher number was made after a challenge with a lower one.
 */
import crypto from 'node:crypto';
import { CHALLENGE_LENGTH, RESET_MAC_LENGTH, RESET_PIN_REF } from './constants';
import type { ResetKind } from './passwords';

export const RECEIPT_LENGTH = 2 + CHALLENGE_LENGTH + CHALLENGE_LENGTH + 4 + RESET_MAC_LENGTH;
const BODY_LENGTH = RECEIPT_LENGTH - RESET_MAC_LENGTH;
const RECEIPT_LABEL = Buffer.from('kiosk-sim/reset-receipt/v1\0', 'ascii');
const NONE = Buffer.alloc(CHALLENGE_LENGTH);

/** What a receipt states. Challenges are upper-case hex; null where the card had none. */
export interface ResetReceipt {
  readonly resetCount: number;
  readonly lastChallenge: string | null;
  readonly currentChallenge: string | null;
  readonly challengeSeq: number;
}

function challengeBytes(hex: string | null): Buffer {
  if (hex === null) return NONE;
  const b = Buffer.from(hex, 'hex');
  if (b.length !== CHALLENGE_LENGTH || b.equals(NONE)) throw new RangeError(`a challenge must be ${CHALLENGE_LENGTH} bytes, not all zero`);
  return b;
}

function challengeHex(b: Buffer): string | null {
  return b.equals(NONE) ? null : b.toString('hex').toUpperCase();
}

function mac(cardKey: Uint8Array, kind: ResetKind, body: Buffer): Buffer {
  return crypto.createHmac('sha256', cardKey).update(RECEIPT_LABEL).update(Buffer.from([RESET_PIN_REF[kind]])).update(body).digest().subarray(0, RESET_MAC_LENGTH);
}

/** The receipt a card with `cardKey` gives for `kind` (the card's side). */
export function encodeResetReceipt(cardKey: Uint8Array, kind: ResetKind, r: ResetReceipt): Buffer {
  if (!Number.isInteger(r.resetCount) || r.resetCount < 0 || r.resetCount > 0xffff) throw new RangeError('reset count out of range');
  if (!Number.isInteger(r.challengeSeq) || r.challengeSeq < 0 || r.challengeSeq > 0xffffffff) throw new RangeError('challenge number out of range');
  if (r.resetCount === 0 && r.lastChallenge !== null) throw new RangeError('a receipt with reset count 0 has no last challenge');
  const body = Buffer.alloc(BODY_LENGTH);
  body.writeUInt16BE(r.resetCount, 0);
  challengeBytes(r.lastChallenge).copy(body, 2);
  challengeBytes(r.currentChallenge).copy(body, 2 + CHALLENGE_LENGTH);
  body.writeUInt32BE(r.challengeSeq, 2 + 2 * CHALLENGE_LENGTH);
  return Buffer.concat([body, mac(cardKey, kind, body)]);
}

/**
 * What the receipt states, without checking its MAC (for display). Null when malformed: the wrong
 * length, or a last challenge with a reset count of 0 (the last challenge is the latest reset's).
 */
export function parseResetReceipt(bytes: Uint8Array): ResetReceipt | null {
  if (bytes.length !== RECEIPT_LENGTH) return null;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const resetCount = b.readUInt16BE(0);
  const lastChallenge = challengeHex(b.subarray(2, 2 + CHALLENGE_LENGTH));
  if (resetCount === 0 && lastChallenge !== null) return null;
  return {
    resetCount,
    lastChallenge,
    currentChallenge: challengeHex(b.subarray(2 + CHALLENGE_LENGTH, 2 + 2 * CHALLENGE_LENGTH)),
    challengeSeq: b.readUInt32BE(2 + 2 * CHALLENGE_LENGTH),
  };
}

/** What the receipt states, if it is the card's own for `kind` (constant-time MAC check); else null. */
export function verifyResetReceipt(cardKey: Uint8Array, kind: ResetKind, bytes: Uint8Array): ResetReceipt | null {
  const parsed = parseResetReceipt(bytes);
  if (parsed === null) return null;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const expected = mac(cardKey, kind, b.subarray(0, BODY_LENGTH));
  return crypto.timingSafeEqual(expected, b.subarray(BODY_LENGTH)) ? parsed : null;
}

/** What a kiosk and the center know of an authorization: its challenge and the receipt it was given on. */
export interface AuthorizedChallenge {
  /** Upper-case hex. */
  readonly challenge: string;
  /** From the receipt the authorization was given on; null where that was not recorded. */
  readonly resetCount: number | null;
  readonly challengeSeq: number | null;
}

/**
 * What a later receipt proves about an authorization:
 * - `used`: the card's last reset of this kind was made with the authorized challenge;
 * - `unused`: the receipt was made after the card gave out another challenge (a higher challenge
 *   number: it no longer accepts a MAC over the authorized one) and no reset happened since the
 *   authorization, or exactly one with another challenge — so it was never used and never can be;
 * - `unknown`: anything else (a receipt not newer than the challenge, an authorization without
 *   receipt facts, two or more resets since).
 */
export function judgeAuthorization(a: AuthorizedChallenge, r: ResetReceipt): 'used' | 'unused' | 'unknown' {
  if (r.lastChallenge !== null && r.lastChallenge === a.challenge) return 'used';
  if (a.resetCount === null || a.challengeSeq === null || r.challengeSeq <= a.challengeSeq) return 'unknown';
  if (r.resetCount === a.resetCount || r.resetCount === a.resetCount + 1) return 'unused';
  return 'unknown';
}
