/**
 * Reservation (事前予約) validity: usable for 24 hours from completion, once.
 * 23:59:59 after completion is usable; 24:00:00 is expired.
 */
export const RESERVATION_VALIDITY_MS = 24 * 60 * 60 * 1000;

/**
 * How long an authorization holds its booking for the kiosk that asked (docs/reset-protocol.md):
 * far longer than a card write takes (two commands, each under the kiosk's 20 s deadline). Past it
 * a kiosk check without card evidence reads the booking as usable again; authorizing it still needs
 * the card's receipt, which tells whether the earlier authorization was used.
 */
export const AUTHORIZATION_HOLD_MS = 2 * 60 * 1000;

/** Face-check failures in a row that lock the app for a card. */
export const FACE_CHECK_MAX_FAILURES = 5;

export type ReservationState = 'booked' | 'authorized' | 'used' | 'expired' | 'replaced';

export function reservationExpiresAt(completedAt: number): number {
  return completedAt + RESERVATION_VALIDITY_MS;
}

export function isReservationExpired(completedAt: number, now: number): boolean {
  return now >= reservationExpiresAt(completedAt);
}
