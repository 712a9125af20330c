/**
 * The interfaces the kiosk core depends on. Production adapters (electron/kiosk/adapters/) wire them
 * to the PC/SC reader service, the JPKI client and the reservation center client; tests use fakes.
 * Nothing here imports Node or electron: the core stays testable and host-independent.
 */
import type { ResetKind, VerifyOutcome } from '../domain/passwords';
import type { ReaderStatus, ScreenId } from '../contract/kiosk';
import type { CardFailure } from './flow';

// ---------------------------------------------------------------------------------------------
// Time

/** The simulated wall clock (hours, reservation validity, card and certificate expiry). */
export interface Clock {
  /** Epoch ms on the simulated clock. */
  now(): number;
}

/**
 * Real elapsed time for inactivity countdowns and operation deadlines. Separate from Clock because a
 * trainer may freeze or jump the simulated clock, and a countdown must still run.
 */
export interface Scheduler {
  /** Monotonic milliseconds. */
  monotonicMs(): number;
  /** Runs `fn` after `ms`; returns a cancel function. */
  after(ms: number, fn: () => void): () => void;
}

// ---------------------------------------------------------------------------------------------
// Card

/** The state of one certificate on the card, as read (and, for revocation, as the adapter knows). */
export type CertificateState = 'valid' | 'absent' | 'revoked' | 'expired';

/** What the core needs to know about the card on the reader, read without changing it. */
export interface CardInfo {
  /** The JPKI AP answered SELECT. */
  readonly isMyNumberCard: boolean;
  /** A simulator (virtual) card: the only kind the kiosk ever sends a changing command to. */
  readonly isSimulatorCard: boolean;
  /** The card id the center knows it by (the auth certificate's serial number, hex); null if unreadable. */
  readonly cardId: string | null;
  /** The card's own expiry (epoch ms), when known. */
  readonly cardExpiresAt: number | null;
  readonly certificates: Readonly<Record<ResetKind, CertificateState>>;
  /** Tries left for each JPKI password (0 = locked). */
  readonly triesLeft: Readonly<Record<ResetKind, number>>;
}

// The card's answer to a VERIFY, in the one vocabulary the JPKI client also answers in.
export type { VerifyOutcome };

/**
 * Card failures the core tells apart. `CARD_REMOVED`: the card left (or was swapped);
 * `READER_UNAVAILABLE`: pcscd or the reader is gone; `CARD_REFUSED`: the card answered with an
 * error status (the command had no effect); `CARD_ERROR`: anything else (effect unknown);
 * `NOT_SIMULATOR_CARD`: the core's own guard refused to send a command to a real card.
 */
export type CardErrorCode = 'CARD_REMOVED' | 'READER_UNAVAILABLE' | 'CARD_REFUSED' | 'CARD_ERROR' | 'NOT_SIMULATOR_CARD';

/** `cause`: the low-level error (PC/SC, JPKI status word) it stands for; only there, never in the code. */
export class CardError extends Error {
  constructor(
    readonly code: CardErrorCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CardError';
  }
}

/** What a thrown card error means for the flow. */
export function cardFailure(err: unknown): CardFailure {
  if (err instanceof CardError) {
    switch (err.code) {
      case 'CARD_REMOVED':
        return 'card-removed';
      case 'READER_UNAVAILABLE':
        return 'reader-unavailable';
      case 'NOT_SIMULATOR_CARD':
        return 'real-card';
      default:
        return 'card-error';
    }
  }
  return 'card-error';
}

/** One connection to the card currently on the reader. Every method rejects with CardError. */
export interface CardSession {
  readCardInfo(): Promise<CardInfo>;
  /** VERIFY of `password` with `value` (a wrong value costs a try). */
  verify(password: ResetKind, value: string): Promise<VerifyOutcome>;
  /** GET CHALLENGE for the reset (docs/reset-protocol.md, "One reset", steps 2 and 4). */
  getChallenge(): Promise<Uint8Array>;
  /** EXTERNAL AUTHENTICATE with the center's MAC (step 7). */
  externalAuthenticate(kind: ResetKind, mac: Uint8Array): Promise<void>;
  /** RESET RETRY COUNTER with the new value (step 7). */
  resetRetryCounter(kind: ResetKind, newValue: string): Promise<void>;
  /**
   * GET RESET RECEIPT: the card's signed word on its resets of `kind` and the challenge it holds
   * now (docs/reset-protocol.md). Changes nothing on the card.
   */
  readResetReceipt(kind: ResetKind): Promise<Uint8Array>;
  /** Releases the connection; never rejects. */
  close(): Promise<void>;
}

export interface CardReader {
  /** The reader as it is now. */
  status(): ReaderStatus;
  /** Called on every change: card placed or removed, reader or pcscd lost or back. */
  onStatus(listener: (status: ReaderStatus) => void): () => void;
  /** Connects to the card on the reader. Rejects with CardError. */
  open(): Promise<CardSession>;
}

// ---------------------------------------------------------------------------------------------
// Reservation center

/** Why the center will not let this card reset this password now. */
export type ReservationRefusal = 'no-reservation' | 'reservation-expired' | 'reservation-used' | 'app-locked';

export type ReservationCheck =
  | { readonly status: 'usable'; readonly reservationId: string }
  /** `resetOnCard`: the card's receipt shows this reservation's reset done (an earlier, interrupted try). */
  | { readonly status: 'refused'; readonly refusal: ReservationRefusal; readonly resetOnCard?: boolean };

export interface ResetAuthorization {
  readonly authorizationId: string;
  /** The one-time MAC over (kind ‖ challenge) under the card's reset key. */
  readonly mac: Uint8Array;
}

export interface AuthorizationRef {
  readonly cardId: string;
  readonly kind: ResetKind;
  readonly reservationId: string;
  readonly authorizationId: string;
}

/** Why an authorization is given back: the reset was never sent to the card, or the card refused it. */
export type ReleaseReason = 'not-sent' | 'card-refused';

/** `CENTER_UNAVAILABLE`: no answer / transport error; `CENTER_REFUSED`: the center said no (see `refusal`). */
export class CenterError extends Error {
  constructor(
    readonly code: 'CENTER_UNAVAILABLE' | 'CENTER_REFUSED',
    message: string,
    readonly refusal?: ReservationRefusal | 'already-confirmed',
    /** `cause`: the center client's error it stands for. */
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CenterError';
  }
}

export interface ReservationCenter {
  /**
   * Whether this card has a usable reservation of this kind. With the card's receipt, the center
   * first settles an earlier authorization the receipt proves used or unused.
   */
  check(req: { readonly cardId: string; readonly kind: ResetKind; readonly receipt?: Uint8Array }): Promise<ReservationCheck>;
  /** A one-time authorization bound to this card, kind and challenge (the receipt names the challenge). */
  authorize(req: {
    readonly cardId: string;
    readonly kind: ResetKind;
    readonly reservationId: string;
    readonly challenge: Uint8Array;
    readonly receipt: Uint8Array;
  }): Promise<ResetAuthorization>;
  /** The reservation becomes used. Rejects with refusal `already-confirmed` when it is used already. */
  confirm(req: AuthorizationRef): Promise<void>;
  /**
   * Gives back an authorization the card never used: the reservation is usable again. Resolves also
   * when the center no longer holds it; rejects with refusal `already-confirmed` when the
   * reservation is used (the center knows the card took a reset).
   */
  release(req: AuthorizationRef & { readonly reason: ReleaseReason }): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Journal of in-flight resets

export type JournalState =
  /** Authorized, the card about to be written: whether it took the reset is not known until a later step or its receipt says. */
  | 'writing'
  /** The card accepted the new password: to confirm. */
  | 'card-reset'
  /** The card did not take it (never sent, or refused): to release. */
  | 'not-reset'
  /** The center recorded the use: settled. */
  | 'confirmed'
  /** The center gave the reservation back: settled. */
  | 'released';

/** The journal's record of one reset: ids, the authorized challenge and the receipt it was given on — never a password. */
export interface JournalEntry extends AuthorizationRef {
  readonly entryId: string;
  readonly state: JournalState;
  /** Upper-case hex. */
  readonly challenge: string;
  /** From the card's receipt at authorization (docs/reset-protocol.md); null when unreadable. */
  readonly resetCount: number | null;
  readonly challengeSeq: number | null;
  /** Epoch ms (real time) of the last state change. */
  readonly at: number;
}

export type JournalBegin = AuthorizationRef & Pick<JournalEntry, 'challenge' | 'resetCount' | 'challengeSeq'>;

/** Durable: each call has reached the disk when its promise resolves. */
export interface ResetJournal {
  begin(req: JournalBegin): Promise<JournalEntry>;
  mark(entryId: string, state: Exclude<JournalState, 'writing'>): Promise<void>;
  /** Entries not settled with the center: to confirm, to release, or waiting for the card's receipt. */
  unsettled(): Promise<JournalEntry[]>;
  /** Drops settled entries from storage, so the journal does not grow forever (optional). */
  compact?(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Event record (usability): PIN-free by construction — no field can hold a typed value.

export type KioskEventType = 'session-start' | 'screen' | 'intent' | 'outcome' | 'session-end';

export interface KioskEvent {
  /** Real time, epoch ms. */
  readonly t: number;
  /** Simulated clock, epoch ms. */
  readonly sim: number;
  readonly sessionId: string | null;
  readonly type: KioskEventType;
  readonly screen: ScreenId;
  /** The intent type (`intent`), never its fields. */
  readonly action?: string;
  /** A code: the problem, guidance reason, outcome or progress step. */
  readonly outcome?: string;
}

export interface EventSink {
  record(event: KioskEvent): void;
}
