/**
 * The reservation center's rules as pure decisions: each takes a card's stored state and the
 * center's `now`, and returns what to answer and which changes to make (storage.ts applies them
 * atomically). The 24 h validity and the face-check limit come from electron/domain/reservation.ts;
 * maintenance windows use the same half-open [from, until) as hours.ts.
 */
import type { MaintenanceWindow } from '../domain/hours';
import type { ResetKind } from '../domain/passwords';
import { otherPassword } from '../domain/passwords';
import {
  AUTHORIZATION_HOLD_MS,
  FACE_CHECK_MAX_FAILURES,
  isReservationExpired,
  reservationExpiresAt,
  type ReservationState,
} from '../domain/reservation';
import type { AuthorizationRecord, BookingRecord, BookingVia, StorageChange, CardState, Decision, HistoryEvent, LockRecord } from './storage';
import type { Reason } from './schemas';
import { judgeAuthorization, type ResetReceipt } from '../../native/jpki/reset-receipt';

export type Refusal<R extends Reason = Reason> = { readonly ok: false; readonly reason: R; readonly until?: number };

const refuse = <R extends Reason>(reason: R, until?: number): Decision<Refusal<R>> => ({
  result: until === undefined ? { ok: false, reason } : { ok: false, reason, until },
  changes: [],
});

/** The maintenance window in force at `now`, if any. */
export function activeMaintenance(windows: readonly MaintenanceWindow[], now: number): MaintenanceWindow | undefined {
  return windows.find((w) => now >= w.from && now < w.until);
}

/** Whether an authorized booking's hold has run out (AUTHORIZATION_HOLD_MS) at `now`. */
export function holdLapsed(b: BookingRecord, now: number): boolean {
  return b.state === 'authorized' && b.authorization !== null && now >= b.authorization.at + AUTHORIZATION_HOLD_MS;
}

/**
 * The state the rules see: a `booked` booking at or past its expiry is `expired`; an `authorized`
 * one whose hold lapsed reads as booked again (and so may be expired), because nothing used it in
 * time. A kiosk still needs the card's receipt to authorize it again (decideAuthorize).
 */
export function effectiveState(b: BookingRecord, now: number): ReservationState {
  const lapsed = holdLapsed(b, now);
  if (b.state !== 'booked' && !lapsed) return b.state;
  return isReservationExpired(b.completedAt, now) ? 'expired' : 'booked';
}

/** The stored history plus the expiry the rules applied without a write, for trainers. */
export function effectiveHistory(b: BookingRecord, stored: readonly HistoryEvent[], now: number): HistoryEvent[] {
  const history = [...stored];
  if (holdLapsed(b, now) && b.authorization !== null) {
    history.push({ state: 'booked', at: b.authorization.at + AUTHORIZATION_HOLD_MS, note: 'authorization hold lapsed: usable again with the card\'s receipt' });
  }
  if ((b.state === 'booked' || holdLapsed(b, now)) && effectiveState(b, now) === 'expired') {
    history.push({ state: 'expired', at: b.expiresAt, note: '24 h elapsed' });
  }
  return history;
}

export const isLocked = (lock: LockRecord): boolean => lock.lockedAt !== null;

// ---------------------------------------------------------------------------------------------
// Kiosk check

export type CheckVerdict =
  | { readonly status: 'usable'; readonly reason: 'usable'; readonly booking: BookingRecord }
  | { readonly status: 'none'; readonly reason: 'no-booking' | 'kind-mismatch' }
  | { readonly status: 'expired'; readonly reason: 'expired'; readonly booking: BookingRecord }
  | { readonly status: 'used'; readonly reason: 'used'; readonly booking: BookingRecord }
  | { readonly status: 'locked'; readonly reason: 'app-locked' };

/**
 * Does the card have a usable booking of `kind`? The app lock wins over everything: the app locked
 * the card for safety after 5 failed face checks, so no booking of it may be used until a trainer
 * (standing in for the counter) clears it. An authorized booking reads `used`: a kiosk already
 * started a reset with it and it can never authorize again.
 */
export function checkReservation(card: CardState, kind: ResetKind, now: number): CheckVerdict {
  if (isLocked(card.lock)) return { status: 'locked', reason: 'app-locked' };
  const booking = card.latest[kind];
  if (booking === undefined || booking.state === 'replaced') {
    const other = card.latest[otherPassword(kind)];
    const otherUsable = other !== undefined && effectiveState(other, now) === 'booked';
    return { status: 'none', reason: otherUsable ? 'kind-mismatch' : 'no-booking' };
  }
  switch (effectiveState(booking, now)) {
    case 'booked':
      return { status: 'usable', reason: 'usable', booking };
    case 'expired':
      return { status: 'expired', reason: 'expired', booking };
    case 'authorized':
    case 'used':
      return { status: 'used', reason: 'used', booking };
    case 'replaced':
      return { status: 'none', reason: 'no-booking' };
  }
}

// ---------------------------------------------------------------------------------------------
// App side: bookings and face checks

export interface BookingInput {
  readonly cardId: string;
  readonly kind: ResetKind;
  readonly identity: {
    readonly cardFront: boolean;
    readonly otherPassword: boolean;
    readonly faceCheck: 'passed' | 'failed' | 'not-required';
  };
}

export type BookingOutcome =
  | { readonly ok: true; readonly booking: BookingRecord; readonly replaced: string | null }
  | Refusal<'maintenance' | 'app-locked' | 'identity-check-failed' | 'face-check-required'>;

/** Retires the card's current booking of `kind`, if it is still only booked, before a new one. */
function retireCurrent(card: CardState, kind: ResetKind, newId: string, now: number): { changes: StorageChange[]; replaced: string | null } {
  const current = card.latest[kind];
  if (current === undefined || current.state !== 'booked') return { changes: [], replaced: null };
  // A booking that ran out before being replaced is history as "expired", at the time it expired.
  if (effectiveState(current, now) === 'expired') {
    return {
      changes: [{ type: 'transition', bookingId: current.id, from: 'booked', to: 'expired', at: current.expiresAt, note: '24 h elapsed' }],
      replaced: null,
    };
  }
  return {
    changes: [{ type: 'transition', bookingId: current.id, from: 'booked', to: 'replaced', at: now, note: `replaced by ${newId}` }],
    replaced: current.id,
  };
}

function newBooking(card: CardState, kind: ResetKind, id: string, via: BookingVia, completedAt: number): BookingRecord {
  return {
    id,
    cardId: card.cardId,
    kind,
    state: 'booked',
    via,
    completedAt,
    expiresAt: reservationExpiresAt(completedAt),
    authorization: null,
    use: null,
  };
}

/**
 * A booking from the app. Refused in maintenance, when the app is locked for the card, or when the
 * identity check is incomplete (the face check is required for `sign`, docs/domain-rules.md §5).
 * An authorized or used booking is never replaced: it stays history, and the new one becomes current.
 */
export function decideBooking(
  card: CardState,
  input: BookingInput,
  env: { readonly now: number; readonly maintenance: readonly MaintenanceWindow[]; readonly newId: string },
): Decision<BookingOutcome> {
  const window = activeMaintenance(env.maintenance, env.now);
  if (window) return refuse('maintenance', window.until);
  if (isLocked(card.lock)) return refuse('app-locked');
  if (!input.identity.cardFront || !input.identity.otherPassword) return refuse('identity-check-failed');
  if (input.kind === 'sign' && input.identity.faceCheck !== 'passed') return refuse('face-check-required');
  if (input.identity.faceCheck === 'failed') return refuse('identity-check-failed');
  const { changes, replaced } = retireCurrent(card, input.kind, env.newId, env.now);
  const booking = newBooking(card, input.kind, env.newId, 'app', env.now);
  return { result: { ok: true, booking, replaced }, changes: [...changes, { type: 'add-booking', booking }] };
}

/** A trainer's booking: no identity check, no maintenance or lock refusal, may be back-dated. */
export function decideAdminBooking(
  card: CardState,
  kind: ResetKind,
  env: { readonly now: number; readonly completedAt: number; readonly newId: string },
): Decision<{ readonly ok: true; readonly booking: BookingRecord; readonly replaced: string | null }> {
  const { changes, replaced } = retireCurrent(card, kind, env.newId, env.now);
  const booking = newBooking(card, kind, env.newId, 'admin', env.completedAt);
  return {
    result: { ok: true, booking, replaced },
    changes: [...changes, { type: 'add-booking', booking, note: 'created by a trainer' }],
  };
}

export type FaceCheckOutcome = { readonly ok: true; readonly lock: LockRecord } | Refusal<'maintenance' | 'app-locked'>;

/** One face-check result: a pass clears the run of failures; the 5th failure in a row locks. */
export function decideFaceCheck(
  card: CardState,
  passed: boolean,
  env: { readonly now: number; readonly maintenance: readonly MaintenanceWindow[] },
): Decision<FaceCheckOutcome> {
  const window = activeMaintenance(env.maintenance, env.now);
  if (window) return refuse('maintenance', window.until);
  if (isLocked(card.lock)) return refuse('app-locked');
  const failures = passed ? 0 : card.lock.consecutiveFailures + 1;
  const lock: LockRecord = { consecutiveFailures: failures, lockedAt: failures >= FACE_CHECK_MAX_FAILURES ? env.now : null };
  return {
    result: { ok: true, lock },
    changes: [
      { type: 'face-check', passed, at: env.now },
      { type: 'set-lock', lock },
    ],
  };
}

export function decideClearLock(): Decision<{ readonly ok: true; readonly lock: LockRecord }> {
  const lock: LockRecord = { consecutiveFailures: 0, lockedAt: null };
  return { result: { ok: true, lock }, changes: [{ type: 'set-lock', lock }] };
}

// ---------------------------------------------------------------------------------------------
// Kiosk side: the card's evidence, authorize, confirm, release (docs/reset-protocol.md)

/**
 * Settles an authorized booking from the card's receipt: used on the card → `used`; provably not
 * used → released (booked again). Returns the booking as it is after the changes.
 */
function settleByEvidence(
  b: BookingRecord,
  ev: ResetReceipt,
  env: { readonly now: number; readonly kioskId: string; readonly requestId: string },
): { readonly booking: BookingRecord; readonly changes: StorageChange[]; readonly verdict: 'used' | 'unused' | 'unknown' } {
  if (b.state !== 'authorized' || b.authorization === null) return { booking: b, changes: [], verdict: 'unknown' };
  const verdict = judgeAuthorization(b.authorization, ev);
  switch (verdict) {
    case 'used': {
      const use = { kioskId: env.kioskId, requestId: env.requestId, at: env.now };
      return {
        booking: { ...b, state: 'used', use },
        verdict,
        changes: [{ type: 'transition', bookingId: b.id, from: 'authorized', to: 'used', at: env.now, kioskId: env.kioskId, requestId: env.requestId, note: 'the card’s receipt shows this reset' }],
      };
    }
    case 'unused':
      return {
        booking: { ...b, state: 'booked', authorization: null },
        verdict,
        changes: [{ type: 'release', bookingId: b.id, authorization: b.authorization, at: env.now, note: `released: the card’s receipt (via ${env.kioskId}) shows this authorization unused` }],
      };
    case 'unknown':
      return { booking: b, changes: [], verdict };
  }
}

export type CheckDecision = CheckVerdict & {
  /** The receipt shows this (used) booking's reset on the card: the citizen's new password is set. */
  readonly resetOnCard: boolean;
};

/**
 * A kiosk's check. With the card's receipt, an authorization the card proves used or unused is
 * settled first, so a citizen whose earlier try was interrupted is told the truth at once.
 */
export function decideCheck(
  card: CardState,
  kind: ResetKind,
  evidence: ResetReceipt | null,
  env: { readonly now: number; readonly kioskId: string; readonly requestId: string },
): Decision<CheckDecision> {
  const current = card.latest[kind];
  let changes: StorageChange[] = [];
  let seen = card;
  if (evidence !== null && current !== undefined) {
    const settled = settleByEvidence(current, evidence, env);
    changes = settled.changes;
    seen = { ...card, latest: { ...card.latest, [kind]: settled.booking } };
  }
  const verdict = checkReservation(seen, kind, env.now);
  const after = seen.latest[kind];
  const resetOnCard =
    verdict.status === 'used' && evidence !== null && evidence.lastChallenge !== null && after?.authorization?.challenge === evidence.lastChallenge && after.state === 'used';
  return { result: { ...verdict, resetOnCard }, changes };
}

export interface AuthorizeInput {
  readonly kind: ResetKind;
  readonly kioskId: string;
  readonly requestId: string;
  /** Upper-case hex. */
  readonly challenge: string;
  /** The card's receipt, made while it held `challenge` (its MAC already checked). */
  readonly evidence: ResetReceipt;
}

export type AuthorizeOutcome =
  | { readonly ok: true; readonly booking: BookingRecord; readonly authorizedAt: number; readonly replayed: boolean }
  | Refusal<'maintenance' | 'app-locked' | 'no-booking' | 'kind-mismatch' | 'expired' | 'used' | 'request-id-reused' | 'receipt-invalid'>;

/**
 * Authorizes the card's usable booking of `kind` for the challenge the card holds now. A repeat of
 * the very same request (same kiosk, request id and challenge) while the booking is still
 * authorized gets the same answer, so a kiosk whose answer was lost can safely ask again.
 * A booking still authorized for an earlier challenge is settled by the card's receipt first: used
 * on the card → `used`; provably unused → given back and authorized anew; not provable → `used`
 * (refusing a citizen once is recoverable, a second reset on one reservation is not).
 */
export function decideAuthorize(
  card: CardState,
  input: AuthorizeInput,
  env: { readonly now: number; readonly maintenance: readonly MaintenanceWindow[] },
): Decision<AuthorizeOutcome> {
  const window = activeMaintenance(env.maintenance, env.now);
  if (window) return refuse('maintenance', window.until);
  let current = card.latest[input.kind];
  const auth = current?.authorization;
  if (current?.state === 'authorized' && auth && auth.kioskId === input.kioskId && auth.requestId === input.requestId) {
    if (auth.challenge !== input.challenge) return refuse('request-id-reused');
    return { result: { ok: true, booking: current, authorizedAt: auth.at, replayed: true }, changes: [] };
  }
  // The receipt must speak of the challenge being authorized, or it proves nothing about now.
  if (input.evidence.currentChallenge !== input.challenge) return refuse('receipt-invalid');
  const changes: StorageChange[] = [];
  if (current?.state === 'authorized') {
    const settled = settleByEvidence(current, input.evidence, { now: env.now, kioskId: input.kioskId, requestId: input.requestId });
    if (settled.verdict !== 'unused') return { result: { ok: false, reason: 'used' }, changes: settled.changes };
    changes.push(...settled.changes);
    current = settled.booking;
  }
  const seen: CardState = current === undefined ? card : { ...card, latest: { ...card.latest, [input.kind]: current } };
  const verdict = checkReservation(seen, input.kind, env.now);
  if (verdict.status !== 'usable') return { result: { ok: false, reason: verdict.reason }, changes };
  const b = verdict.booking;
  const authorization: AuthorizationRecord = {
    kioskId: input.kioskId,
    requestId: input.requestId,
    challenge: input.challenge,
    at: env.now,
    resetCount: input.evidence.resetCount,
    challengeSeq: input.evidence.challengeSeq,
  };
  changes.push({
    type: 'transition',
    bookingId: b.id,
    from: 'booked',
    to: 'authorized',
    at: env.now,
    kioskId: input.kioskId,
    requestId: input.requestId,
    challenge: input.challenge,
    resetCount: input.evidence.resetCount,
    challengeSeq: input.evidence.challengeSeq,
  });
  return { result: { ok: true, booking: { ...b, state: 'authorized', authorization }, authorizedAt: env.now, replayed: false }, changes };
}

export type ConfirmOutcome =
  | { readonly ok: true; readonly bookingId: string; readonly usedAt: number; readonly replayed: boolean }
  | Refusal<'no-booking' | 'not-authorized' | 'used'>;

/**
 * Marks an authorized booking used. Only the kiosk that authorized it may confirm it (a booking
 * authorized at one kiosk cannot be consumed by another), and, when the kiosk names it, only for
 * that authorization (not for one given after it was released). The first confirm wins; a repeat
 * with the same kiosk and request id gets the same answer; any other confirm of a used booking is
 * `used`. Confirm ignores expiry, the hold and maintenance: a kiosk that reset a card must always
 * be able to say so.
 */
export function decideConfirm(
  booking: BookingRecord | undefined,
  input: { readonly kioskId: string; readonly requestId: string; readonly authorizationRequestId?: string },
  env: { readonly now: number },
): Decision<ConfirmOutcome> {
  if (booking === undefined) return refuse('no-booking');
  if (booking.state === 'used' && booking.use) {
    const same = booking.use.kioskId === input.kioskId && booking.use.requestId === input.requestId;
    return same ? { result: { ok: true, bookingId: booking.id, usedAt: booking.use.at, replayed: true }, changes: [] } : refuse('used');
  }
  const auth = booking.authorization;
  if (booking.state !== 'authorized' || auth?.kioskId !== input.kioskId) return refuse('not-authorized');
  if (input.authorizationRequestId !== undefined && auth.requestId !== input.authorizationRequestId) return refuse('not-authorized');
  return {
    result: { ok: true, bookingId: booking.id, usedAt: env.now, replayed: false },
    changes: [
      { type: 'transition', bookingId: booking.id, from: 'authorized', to: 'used', at: env.now, kioskId: input.kioskId, requestId: input.requestId },
    ],
  };
}

export type ReleaseOutcome =
  | { readonly ok: true; readonly bookingId: string; readonly released: boolean; readonly state: ReservationState }
  | Refusal<'no-booking' | 'used'>;

/**
 * The kiosk that holds an authorization gives it back: it never sent the card the reset, or the
 * card refused it, so the authorization was not used (docs/reset-protocol.md). The booking is
 * usable again at once. Idempotent: an authorization no longer held (released already, lapsed and
 * re-authorized, expired) answers `released: false` with the booking's state; a used booking is
 * refused, since only the card's own evidence or its kiosk's confirm made it so.
 */
export function decideRelease(
  booking: BookingRecord | undefined,
  input: { readonly kioskId: string; readonly authorizationRequestId: string; readonly reason: 'not-sent' | 'card-refused' },
  env: { readonly now: number },
): Decision<ReleaseOutcome> {
  if (booking === undefined) return refuse('no-booking');
  if (booking.state === 'used') return refuse('used');
  const auth = booking.authorization;
  if (booking.state !== 'authorized' || auth === null || auth.kioskId !== input.kioskId || auth.requestId !== input.authorizationRequestId) {
    return { result: { ok: true, bookingId: booking.id, released: false, state: effectiveState(booking, env.now) }, changes: [] };
  }
  const why = input.reason === 'not-sent' ? 'the reset was never sent to the card' : 'the card refused the reset';
  const released: BookingRecord = { ...booking, state: 'booked', authorization: null };
  return {
    result: { ok: true, bookingId: booking.id, released: true, state: effectiveState(released, env.now) },
    changes: [{ type: 'release', bookingId: booking.id, authorization: auth, at: env.now, note: `released by ${input.kioskId}: ${why}` }],
  };
}

/** A trainer expires a booking that has not been authorized yet (already expired: no change). */
export function decideExpire(booking: BookingRecord | undefined, env: { readonly now: number }): Decision<{ readonly ok: true } | Refusal<'no-booking' | 'not-expirable'>> {
  if (booking === undefined) return refuse('no-booking');
  if (booking.state === 'expired') return { result: { ok: true }, changes: [] };
  if (booking.state !== 'booked') return refuse('not-expirable');
  const at = effectiveState(booking, env.now) === 'expired' ? booking.expiresAt : env.now;
  const note = at === env.now ? 'expired by a trainer' : '24 h elapsed';
  return { result: { ok: true }, changes: [{ type: 'transition', bookingId: booking.id, from: 'booked', to: 'expired', at, note }] };
}

export function lockView(cardId: string, lock: LockRecord) {
  return {
    cardId,
    consecutiveFailures: lock.consecutiveFailures,
    failuresBeforeLock: Math.max(0, FACE_CHECK_MAX_FAILURES - lock.consecutiveFailures),
    locked: isLocked(lock),
    lockedAt: lock.lockedAt,
  };
}
