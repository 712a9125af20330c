/**
 * The interfaces the kiosk core depends on. Production adapters (electron/kiosk/adapters/) wire them
 * to the PC/SC reader service, the JPKI client and the reservation center client; tests use fakes.
 * Nothing here imports Node or electron: the core stays testable and host-independent.
 */
import type { ResetKind } from '../domain/passwords';
import type { ReaderStatus, ScreenId } from '../contract/kiosk-api';

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

export type VerifyOutcome =
  | { readonly result: 'verified' }
  /** Wrong value; `triesLeft` after this try (0 = now locked). */
  | { readonly result: 'wrong'; readonly triesLeft: number }
  /** Already locked: the card did not check the value. */
  | { readonly result: 'locked' };

/**
 * Card failures the core tells apart. `CARD_REMOVED`: the card left (or was swapped);
 * `READER_UNAVAILABLE`: pcscd or the reader is gone; `CARD_REFUSED`: the card answered with an
 * error status (the command had no effect); `CARD_ERROR`: anything else (effect unknown);
 * `NOT_SIMULATOR_CARD`: the core's own guard refused to send a command to a real card.
 */
export type CardErrorCode = 'CARD_REMOVED' | 'READER_UNAVAILABLE' | 'CARD_REFUSED' | 'CARD_ERROR' | 'NOT_SIMULATOR_CARD';

export class CardError extends Error {
  constructor(
    readonly code: CardErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CardError';
  }
}

/** One connection to the card currently on the reader. Every method rejects with CardError. */
export interface CardSession {
  readCardInfo(): Promise<CardInfo>;
  /** VERIFY of `password` with `value` (a wrong value costs a try). */
  verify(password: ResetKind, value: string): Promise<VerifyOutcome>;
  /** GET CHALLENGE for the reset (jpki-card.md §10 step 2). */
  getChallenge(): Promise<Uint8Array>;
  /** EXTERNAL AUTHENTICATE with the center's MAC (step 4). */
  externalAuthenticate(kind: ResetKind, mac: Uint8Array): Promise<void>;
  /** RESET RETRY COUNTER with the new value (step 5). */
  resetRetryCounter(kind: ResetKind, newValue: string): Promise<void>;
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
  | { readonly status: 'refused'; readonly refusal: ReservationRefusal };

export interface ResetAuthorization {
  readonly authorizationId: string;
  /** The one-time MAC over (kind ‖ challenge) under the card's reset key. */
  readonly mac: Uint8Array;
}

export interface ConfirmRequest {
  readonly cardId: string;
  readonly kind: ResetKind;
  readonly reservationId: string;
  readonly authorizationId: string;
}

/** `CENTER_UNAVAILABLE`: no answer / transport error; `CENTER_REFUSED`: the center said no (see `refusal`). */
export class CenterError extends Error {
  constructor(
    readonly code: 'CENTER_UNAVAILABLE' | 'CENTER_REFUSED',
    message: string,
    readonly refusal?: ReservationRefusal | 'already-confirmed',
  ) {
    super(message);
    this.name = 'CenterError';
  }
}

export interface ReservationCenter {
  /** Whether this card has a usable reservation of this kind (jpki-card.md §10, before step 3). */
  check(req: { readonly cardId: string; readonly kind: ResetKind }): Promise<ReservationCheck>;
  /** Step 3: a one-time authorization bound to this card, kind and challenge. */
  authorize(req: {
    readonly cardId: string;
    readonly kind: ResetKind;
    readonly reservationId: string;
    readonly challenge: Uint8Array;
  }): Promise<ResetAuthorization>;
  /** Step 6: the reservation becomes used. Confirming twice rejects with refusal `already-confirmed`. */
  confirm(req: ConfirmRequest): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Journal of in-flight resets

export type JournalState =
  /** Authorized, about to write the card (outcome unknown if nothing follows). */
  | 'writing'
  /** The card accepted the new password. */
  | 'card-reset'
  /** The card refused: nothing changed (nothing to confirm). */
  | 'not-reset'
  /** The center confirmed: settled. */
  | 'confirmed';

export interface JournalEntry extends ConfirmRequest {
  readonly entryId: string;
  readonly state: JournalState;
  /** Epoch ms (real time) of the last state change. */
  readonly at: number;
}

/** Durable: each call has reached the disk when its promise resolves. */
export interface ResetJournal {
  begin(req: ConfirmRequest): Promise<JournalEntry>;
  mark(entryId: string, state: Exclude<JournalState, 'writing'>): Promise<void>;
  /** Entries whose card may have been reset and that the center has not confirmed. */
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
