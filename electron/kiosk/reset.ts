/**
 * The reset protocol on the kiosk's side (docs/reset-protocol.md): card challenge and receipt →
 * center authorize → journal → EXTERNAL AUTHENTICATE → RESET RETRY COUNTER → confirm, or release
 * when the card did not take it; and, before a citizen is asked anything, the card's receipt
 * settling an earlier try that was cut off. The rule it keeps: a reservation is spent if and only
 * if the card took the new password. The session (session.ts) runs it and only decides when the
 * card may still be written; test/unit/reset-interruptions.test.ts interrupts it at every step.
 */
import type { ResetKind } from '../domain/passwords';
import type { ResetOutcome } from './flow';
import { resolveWithReceipt } from './journal';
import {
  CardError,
  CenterError,
  cardFailure,
  type CardSession,
  type AuthorizationRef,
  type ReleaseReason,
  type ReservationCenter,
  type ReservationCheck,
  type ReservationRefusal,
  type ResetJournal,
} from './ports';
import { parseResetReceipt } from '../../native/jpki/reset-receipt';

/** What the protocol runs on: the open simulator card, the center, the journal, and a deadline per call. */
export interface ResetPorts {
  readonly card: CardSession;
  readonly center: ReservationCenter;
  readonly journal: ResetJournal;
  /** Rejects when the call takes longer than the kiosk's deadline for one operation. */
  readonly deadline: <T>(p: Promise<T>) => Promise<T>;
}

export interface ResetRequest {
  readonly cardId: string;
  readonly kind: ResetKind;
  readonly reservationId: string;
  /** The new value, revealed only for RESET RETRY COUNTER. */
  readonly newValue: () => string;
  /** The screen's progress: the card is being written, then the center told. */
  readonly progress: (step: 'writing-card' | 'confirming') => void;
  /** Whether the card may still be written (the session's card, still placed, still this reset). */
  readonly mayWrite: () => boolean;
  /** Whether the card read in this session is still on the reader. */
  readonly cardStillThere: () => boolean;
}

const RESERVATION_REFUSALS: readonly string[] = ['no-reservation', 'reservation-expired', 'reservation-used', 'app-locked'];

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/**
 * The card's receipt for `kind`, made while it holds a challenge given out just now (so the
 * receipt is newer than any earlier authorization). Null when the card cannot give one.
 */
export async function freshReceipt(ports: ResetPorts, kind: ResetKind): Promise<Uint8Array | null> {
  try {
    await ports.deadline(ports.card.getChallenge());
    return await ports.deadline(ports.card.readResetReceipt(kind));
  } catch {
    return null;
  }
}

/**
 * The reservation check with the card's evidence: this kiosk's journal entries for the card that
 * were cut off mid-write are settled from its receipts, and the center settles the same from the
 * receipt it is sent. A card that gives no receipt is checked without one.
 */
export async function checkWithReceipt(ports: ResetPorts, req: { readonly cardId: string; readonly kind: ResetKind }): Promise<ReservationCheck> {
  const receipt = await freshReceipt(ports, req.kind);
  try {
    await resolveWithReceipt(ports.journal, ports.center, req.cardId, (k) => (k === req.kind ? Promise.resolve(receipt) : freshReceipt(ports, k)));
  } catch {
    // The journal keeps the entries; the center settles the same from the receipt below.
  }
  return ports.deadline(ports.center.check(receipt === null ? req : { ...req, receipt }));
}

/** One reset. Never throws: every way it ends is a ResetOutcome, told truthfully. */
export async function runReset(ports: ResetPorts, r: ResetRequest): Promise<ResetOutcome> {
  const { card, center, journal, deadline } = ports;
  const { cardId, kind } = r;

  let challenge: Uint8Array;
  let receipt: Uint8Array;
  try {
    challenge = await deadline(card.getChallenge());
    receipt = await deadline(card.readResetReceipt(kind));
  } catch (err) {
    return { result: 'not-reset', cause: cardFailure(err) };
  }
  let authorization;
  try {
    authorization = await deadline(center.authorize({ cardId, kind, reservationId: r.reservationId, challenge, receipt }));
  } catch (err) {
    if (err instanceof CenterError && err.code === 'CENTER_REFUSED' && err.refusal !== undefined && RESERVATION_REFUSALS.includes(err.refusal)) {
      return { result: 'not-reset', cause: 'center-refused', refusal: err.refusal as ReservationRefusal };
    }
    // The center may have authorized without our hearing it: the card's next receipt proves that
    // authorization unused (a later challenge, no reset), and the center gives it back then.
    return { result: 'not-reset', cause: 'center-unavailable' };
  }

  r.progress('writing-card');
  const confirm: AuthorizationRef = { cardId, kind, reservationId: r.reservationId, authorizationId: authorization.authorizationId };
  if (!r.mayWrite()) {
    await release(ports, confirm, 'not-sent');
    return { result: 'not-reset', cause: 'card-removed' };
  }
  const facts = parseResetReceipt(receipt);
  let entryId: string;
  try {
    entryId = (await journal.begin({ ...confirm, challenge: hex(challenge), resetCount: facts?.resetCount ?? null, challengeSeq: facts?.challengeSeq ?? null })).entryId;
  } catch {
    // Without a durable journal entry a crash could leave a reset the center never hears of.
    await release(ports, confirm, 'not-sent');
    return { result: 'not-reset', cause: 'card-error' };
  }
  try {
    await deadline(card.externalAuthenticate(kind, authorization.mac));
  } catch (err) {
    // RESET RETRY COUNTER was not sent: the password is unchanged whatever happened here.
    const refused = err instanceof CardError && err.code === 'CARD_REFUSED';
    await notReset(ports, entryId, confirm, refused ? 'card-refused' : 'not-sent');
    return { result: 'not-reset', cause: refused ? 'card-refused' : cardFailure(err) };
  }
  if (!r.cardStillThere()) {
    // The card left after EXTERNAL AUTHENTICATE: RESET RETRY COUNTER is not sent.
    await notReset(ports, entryId, confirm, 'not-sent');
    return { result: 'not-reset', cause: 'card-removed' };
  }
  try {
    await deadline(card.resetRetryCounter(kind, r.newValue()));
  } catch (err) {
    if (err instanceof CardError && err.code === 'CARD_REFUSED') {
      await notReset(ports, entryId, confirm, 'card-refused');
      return { result: 'not-reset', cause: 'card-refused' };
    }
    // No answer from the card: it may or may not have written. The entry stays `writing` until
    // the card's receipt says which (the card placed again), and the reservation is not spent.
    return { result: 'unknown', cause: cardFailure(err) };
  }
  await journal.mark(entryId, 'card-reset').catch(() => undefined);

  r.progress('confirming');
  try {
    await deadline(center.confirm(confirm));
  } catch (err) {
    if (!(err instanceof CenterError && err.refusal === 'already-confirmed')) {
      // The password is set; the journal confirms later (next session or restart).
      return { result: 'reset', confirmed: false };
    }
  }
  await journal.mark(entryId, 'confirmed').catch(() => undefined);
  return { result: 'reset', confirmed: true };
}

/** The card did not take the reset: journal it, then give the reservation back. */
async function notReset(ports: ResetPorts, entryId: string, req: AuthorizationRef, reason: ReleaseReason): Promise<void> {
  try {
    await ports.journal.mark(entryId, 'not-reset');
  } catch {
    // Not journaled: the center still frees it from the card's next receipt, or when the hold lapses.
  }
  if (await release(ports, req, reason)) await ports.journal.mark(entryId, 'released').catch(() => undefined);
}

/** Best effort, within the deadline; a release the center did not hear is retried by settleJournal. */
async function release(ports: ResetPorts, req: AuthorizationRef, reason: ReleaseReason): Promise<boolean> {
  try {
    await ports.deadline(ports.center.release({ ...req, reason }));
    return true;
  } catch {
    return false;
  }
}
