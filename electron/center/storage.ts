/**
 * What the center needs from a database, kept small: an SQLite file or a shared PostgreSQL database backs it.
 *
 * Every write goes through `updateCard`/`updateBooking`: the storage reads one card's state (or one
 * booking's), hands it to a pure decision (rules.ts) and applies the changes the decision returns, all in one
 * transaction that no other write to that card can interleave with. That is what makes "authorize
 * once" and "confirm exactly once" hold under concurrency and across crashes, whatever the backend:
 * SQLite serializes with BEGIN IMMEDIATE; PostgreSQL with an advisory lock per card
 * (postgres-storage.ts).
 * A promise resolves only once the change is durable.
 */
import type { ResetKind } from '../domain/passwords';
import type { ReservationState } from '../domain/reservation';
import type { MaintenanceWindow } from '../domain/hours';

export type BookingVia = 'app' | 'admin';

export interface BookingRecord {
  readonly id: string;
  readonly cardId: string;
  readonly kind: ResetKind;
  /** The stored state; a `booked` booking past its expiry is expired by the rules without a write. */
  readonly state: ReservationState;
  readonly via: BookingVia;
  readonly completedAt: number;
  readonly expiresAt: number;
  /** Set while the booking is authorized (and kept once used): who asked, with which request id and challenge. */
  readonly authorization: AuthorizationRecord | null;
  /** Set when the booking was confirmed used. */
  readonly use: { readonly kioskId: string; readonly requestId: string; readonly at: number } | null;
}

/**
 * An authorization and what the card's receipt said when it was given (docs/reset-protocol.md):
 * the card's reset count and challenge number then. Null on rows written before schema 4.
 */
export interface AuthorizationRecord {
  readonly kioskId: string;
  readonly requestId: string;
  /** Upper-case hex: the card challenge the MAC was computed over. */
  readonly challenge: string;
  readonly at: number;
  readonly resetCount: number | null;
  readonly challengeSeq: number | null;
}

export interface LockRecord {
  /** Face-check failures in a row. */
  readonly consecutiveFailures: number;
  /** When the app side was locked for this card; null when not locked. */
  readonly lockedAt: number | null;
}

export const NO_LOCK: LockRecord = { consecutiveFailures: 0, lockedAt: null };

/** One card as the rules see it. */
export interface CardState {
  readonly cardId: string;
  readonly lock: LockRecord;
  /** The newest booking of each kind (older ones are replaced, used or expired history). */
  readonly latest: Readonly<Partial<Record<ResetKind, BookingRecord>>>;
}

export interface HistoryEvent {
  readonly state: ReservationState;
  readonly at: number;
  readonly kioskId?: string;
  readonly requestId?: string;
  readonly note?: string;
}

/** A change a decision asks the storage to make. */
export type StorageChange =
  | { readonly type: 'add-booking'; readonly booking: BookingRecord; readonly note?: string }
  | {
      readonly type: 'transition';
      readonly bookingId: string;
      readonly from: ReservationState;
      readonly to: ReservationState;
      readonly at: number;
      /** For → authorized: the kiosk, request and challenge; for → used: the kiosk and request. */
      readonly kioskId?: string;
      readonly requestId?: string;
      readonly challenge?: string;
      /** For → authorized: the card's reset count and challenge number in its receipt. */
      readonly resetCount?: number;
      readonly challengeSeq?: number;
      readonly note?: string;
    }
  /**
   * An authorization that was not used on the card is given back: authorized → booked, the
   * authorization kept as history (`note` says on whose word or evidence).
   */
  | { readonly type: 'release'; readonly bookingId: string; readonly authorization: AuthorizationRecord; readonly at: number; readonly note: string }
  | { readonly type: 'set-lock'; readonly lock: LockRecord }
  | { readonly type: 'face-check'; readonly passed: boolean; readonly at: number };

export interface Decision<T> {
  readonly result: T;
  readonly changes: readonly StorageChange[];
}

export interface BookingWithHistory {
  readonly booking: BookingRecord;
  readonly history: readonly HistoryEvent[];
}

export interface Settings {
  /** The trainer's offset of the center's simulated clock from real time. */
  readonly clockOffsetMs: number;
  readonly maintenance: readonly MaintenanceWindow[];
}

export const DEFAULT_CENTER_SETTINGS: Settings = { clockOffsetMs: 0, maintenance: [] };

export interface CenterStorage {
  readCard(cardId: string): Promise<CardState>;
  /** A card and the settings as of one instant (what a kiosk check needs). */
  readCardWithSettings(cardId: string): Promise<{ readonly card: CardState; readonly settings: Settings }>;
  /**
   * Atomically: read the card and the settings, run `decide` (pure, synchronous), apply its changes.
   * If `decide` throws, nothing is written.
   */
  updateCard<T>(cardId: string, decide: (card: CardState, settings: Settings) => Decision<T>): Promise<T>;
  /**
   * As updateCard, for one booking (undefined when there is no such booking). The decision sees
   * the booking's own row only: a transition from a booking's state needs nothing else, and the
   * storage refuses a transition whose `from` is no longer the stored state.
   */
  updateBooking<T>(bookingId: string, decide: (booking: BookingRecord | undefined, settings: Settings) => Decision<T>): Promise<T>;
  readBooking(bookingId: string): Promise<BookingWithHistory | undefined>;
  /** Newest first. */
  listBookings(query: { readonly cardId?: string; readonly limit: number }): Promise<BookingWithHistory[]>;
  readSettings(): Promise<Settings>;
  writeSettings(patch: Partial<Settings>): Promise<Settings>;
  close(): Promise<void>;
}

export class StorageError extends Error {
  constructor(
    /** UNREACHABLE: a database server that cannot be connected to (its message names no password). */
    readonly code: 'SCHEMA_TOO_NEW' | 'MIGRATION_FAILED' | 'CONFLICT' | 'CLOSED' | 'CORRUPT' | 'UNREACHABLE',
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}
