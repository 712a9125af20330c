/**
 * The simulator's own center-authorized reset (jpki-card.md §10): NOT J-LIS's, which is not public.
 *
 * Each card holds a reset key diversified from the center's master key and the card id (the auth
 * certificate's serial number), as card issuers do, so the center needs no key table and the kiosk
 * never holds any key that could reset a card. The center answers a challenge from the card with a
 * MAC that binds the PIN being reset; the card accepts it once.
 *
 * The reset receipt is the card's evidence of completed resets, for the center to check. For each
 * resettable PIN the card keeps, in the same write as the PIN, how many RESET RETRY COUNTERs
 * succeeded and the challenge that authorized the latest. GET RESET RECEIPT (80 CA 00 <PIN ref>
 * Le 22) answers 34 bytes: count (2, big-endian) ‖ last challenge (8) ‖ current challenge (8, the
 * one the card would accept EXTERNAL AUTHENTICATE with now) ‖ MAC (16) = HMAC-SHA256(card reset
 * key, "kiosk-sim/reset-receipt/v1" 00 ‖ PIN ref ‖ the 18 bytes before it), truncated. A challenge
 * the card does not hold (no reset yet, none pending) is 8 zero bytes.
 */
import crypto from 'node:crypto';
import { CHALLENGE_LENGTH, RECEIPT_LENGTH, RESET_COUNT_MAX, RESET_MAC_LENGTH, RESET_PIN_REF } from './constants';
import type { ResetKind } from '../../electron/domain/passwords';

const KEY_LABEL = Buffer.from('kiosk-sim/reset-key/v1\0', 'ascii');
const MAC_LABEL = Buffer.from('kiosk-sim/reset-mac/v1\0', 'ascii');
const RECEIPT_LABEL = Buffer.from('kiosk-sim/reset-receipt/v1\0', 'ascii');

/**
 * The development master key: public, labelled as a test key, good only for simulator cards.
 * A deployment of the center sets its own (KIOSK_SIM_MASTER_KEY, 64 hex digits).
 */
export const DEV_MASTER_KEY = crypto.createHash('sha256').update('kiosk-sim TEST master key - not for real cards').digest();

export function masterKeyFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer {
  const hexKey = env.KIOSK_SIM_MASTER_KEY;
  if (hexKey === undefined || hexKey === '') return DEV_MASTER_KEY;
  if (!/^[0-9a-fA-F]{64}$/.test(hexKey)) throw new Error('KIOSK_SIM_MASTER_KEY must be 64 hex digits');
  return Buffer.from(hexKey, 'hex');
}

/** Normalizes a card id (hex serial number) so that "0a1b" and "0A1B" name the same card. */
export function normalizeCardId(cardId: string): string {
  const id = cardId.trim().toUpperCase();
  if (!/^[0-9A-F]{2,64}$/.test(id)) throw new Error('card id must be 2–64 hex digits');
  return id;
}

/** The per-card reset key: HMAC-SHA256(master, label ‖ card id). */
export function diversifyResetKey(masterKey: Uint8Array, cardId: string): Buffer {
  return crypto.createHmac('sha256', masterKey).update(KEY_LABEL).update(normalizeCardId(cardId), 'ascii').digest();
}

/** MAC over (PIN ref ‖ challenge) under the card's reset key, truncated to 16 bytes. */
export function resetMac(cardKey: Uint8Array, kind: ResetKind, challenge: Uint8Array): Buffer {
  if (challenge.length !== CHALLENGE_LENGTH) throw new Error(`challenge must be ${CHALLENGE_LENGTH} bytes`);
  return crypto
    .createHmac('sha256', cardKey)
    .update(MAC_LABEL)
    .update(Buffer.from([RESET_PIN_REF[kind]]))
    .update(challenge)
    .digest()
    .subarray(0, RESET_MAC_LENGTH);
}

/** Constant-time check of a MAC the card received. */
export function verifyResetMac(cardKey: Uint8Array, kind: ResetKind, challenge: Uint8Array, mac: Uint8Array): boolean {
  if (mac.length !== RESET_MAC_LENGTH) return false;
  return crypto.timingSafeEqual(resetMac(cardKey, kind, challenge), mac);
}

/** What a reset receipt says; challenges as upper-case hex, null for none (all zero). */
export interface ResetReceipt {
  /** Successful RESET RETRY COUNTERs of this PIN, ever (0–65535). */
  readonly count: number;
  /** The challenge that authorized the latest of them; null when count is 0. */
  readonly lastChallenge: string | null;
  /** The challenge the card holds now (from GET CHALLENGE, not yet used); null when none. */
  readonly currentChallenge: string | null;
}

/** Offsets in the receipt: count(2) ‖ last(8) ‖ current(8) ‖ MAC(16). */
const LAST_AT = 2;
const CURRENT_AT = LAST_AT + CHALLENGE_LENGTH;
const MAC_AT = CURRENT_AT + CHALLENGE_LENGTH;

function challengeField(challenge: Uint8Array | null, what: string): Buffer {
  if (challenge === null) return Buffer.alloc(CHALLENGE_LENGTH);
  if (challenge.length !== CHALLENGE_LENGTH) throw new Error(`${what} must be ${CHALLENGE_LENGTH} bytes`);
  return Buffer.from(challenge);
}

/** The 18 bytes the receipt's MAC covers (after the label and PIN ref). */
function receiptBody(count: number, lastChallenge: Uint8Array | null, currentChallenge: Uint8Array | null): Buffer {
  if (!Number.isInteger(count) || count < 0 || count > RESET_COUNT_MAX) throw new Error(`reset count must be 0–${RESET_COUNT_MAX}`);
  if (count === 0 && lastChallenge !== null) throw new Error('a receipt with count 0 has no last challenge');
  const head = Buffer.alloc(2);
  head.writeUInt16BE(count);
  return Buffer.concat([head, challengeField(lastChallenge, 'last challenge'), challengeField(currentChallenge, 'current challenge')]);
}

function macOverBody(cardKey: Uint8Array, kind: ResetKind, body: Uint8Array): Buffer {
  return crypto
    .createHmac('sha256', cardKey)
    .update(RECEIPT_LABEL)
    .update(Buffer.from([RESET_PIN_REF[kind]]))
    .update(body)
    .digest()
    .subarray(0, RESET_MAC_LENGTH);
}

/** The receipt's MAC: HMAC-SHA256(card key, label ‖ PIN ref ‖ count ‖ last ‖ current), first 16 bytes. */
export function resetReceiptMac(
  cardKey: Uint8Array,
  kind: ResetKind,
  count: number,
  lastChallenge: Uint8Array | null,
  currentChallenge: Uint8Array | null,
): Buffer {
  return macOverBody(cardKey, kind, receiptBody(count, lastChallenge, currentChallenge));
}

/** The 34 bytes GET RESET RECEIPT answers (the card builds them; tests and tools may too). */
export function encodeResetReceipt(
  cardKey: Uint8Array,
  kind: ResetKind,
  count: number,
  lastChallenge: Uint8Array | null,
  currentChallenge: Uint8Array | null,
): Buffer {
  const body = receiptBody(count, lastChallenge, currentChallenge);
  return Buffer.concat([body, macOverBody(cardKey, kind, body)]);
}

function challengeHex(field: Uint8Array): string | null {
  return field.every((b) => b === 0) ? null : Buffer.from(field).toString('hex').toUpperCase();
}

/**
 * The receipt's fields WITHOUT checking its MAC (for logs and display; trust only
 * verifyResetReceipt). Null when the bytes are not a receipt: wrong length, or a last challenge
 * with a count of 0.
 */
export function parseResetReceipt(bytes: Uint8Array): ResetReceipt | null {
  if (bytes.length !== RECEIPT_LENGTH) return null;
  const b = Buffer.from(bytes);
  const count = b.readUInt16BE(0);
  const lastChallenge = challengeHex(b.subarray(LAST_AT, CURRENT_AT));
  if (count === 0 && lastChallenge !== null) return null;
  return { count, lastChallenge, currentChallenge: challengeHex(b.subarray(CURRENT_AT, MAC_AT)) };
}

/** The receipt's fields if `bytes` is a receipt of this card's `kind` PIN with a right MAC (constant-time check), else null. */
export function verifyResetReceipt(cardKey: Uint8Array, kind: ResetKind, bytes: Uint8Array): ResetReceipt | null {
  const receipt = parseResetReceipt(bytes);
  if (receipt === null) return null;
  const expected = macOverBody(cardKey, kind, bytes.subarray(0, MAC_AT));
  return crypto.timingSafeEqual(expected, bytes.subarray(MAC_AT)) ? receipt : null;
}
