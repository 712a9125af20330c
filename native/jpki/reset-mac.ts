/**
 * The simulator's own center-authorized reset (docs/reset-protocol.md): NOT J-LIS's, which is not public.
 *
 * Each card holds a reset key diversified from the center's master key and the card id (the auth
 * certificate's serial number), as card issuers do, so the center needs no key table and the kiosk
 * never holds any key that could reset a card. The center answers a challenge from the card with a
 * MAC that binds the PIN being reset; the card accepts it once.
 *
 * What the card says back about its resets, under the same key, is the reset receipt
 * (reset-receipt.ts).
 */
import crypto from 'node:crypto';
import { CHALLENGE_LENGTH, RESET_MAC_LENGTH, RESET_PIN_REF } from './constants';
import type { ResetKind } from './passwords';

const KEY_LABEL = Buffer.from('kiosk-sim/reset-key/v1\0', 'ascii');
const MAC_LABEL = Buffer.from('kiosk-sim/reset-mac/v1\0', 'ascii');

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
