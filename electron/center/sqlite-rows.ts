/**
 * How a booking is stored: the row's columns, in the order the hot reads ask for them, and the
 * mapping between rows and the records the rules see (storage.ts), history included.
 */
import type { ResetKind } from '../domain/passwords';
import type { ReservationState } from '../domain/reservation';
import type { BookingRecord, HistoryEvent } from './storage';

export interface BookingRow {
  seq: number;
  id: string;
  card_id: string;
  kind: ResetKind;
  state: ReservationState;
  via: 'app' | 'admin';
  completed_at: number;
  expires_at: number;
  auth_kiosk_id: string | null;
  auth_request_id: string | null;
  auth_challenge: string | null;
  authorized_at: number | null;
  use_kiosk_id: string | null;
  use_request_id: string | null;
  used_at: number | null;
  auth_reset_count: number | null;
  auth_challenge_seq: number | null;
}

/** The columns of BookingRow, in its order. */
export const BOOKING_COLUMNS =
  'seq, id, card_id, kind, state, via, completed_at, expires_at, auth_kiosk_id, auth_request_id, auth_challenge, authorized_at, use_kiosk_id, use_request_id, used_at, auth_reset_count, auth_challenge_seq';
export const bookingColumnsOf = (table: string) => BOOKING_COLUMNS.split(', ').map((c) => `${table}.${c}`).join(', ');

/** A row of the card read: its lock's columns (NULL where it has none) and a booking's (all NULL where there is none). */
export type CardRow = { [K in keyof BookingRow]: BookingRow[K] | null } & {
  consecutive_failures: number | null;
  locked_at: number | null;
};

export interface EventRow {
  state: ReservationState;
  at: number;
  kiosk_id: string | null;
  request_id: string | null;
  note: string | null;
}

export function toBooking(r: BookingRow): BookingRecord {
  return {
    id: r.id,
    cardId: r.card_id,
    kind: r.kind,
    state: r.state,
    via: r.via,
    completedAt: r.completed_at,
    expiresAt: r.expires_at,
    authorization:
      r.authorized_at !== null
        ? {
            kioskId: r.auth_kiosk_id ?? '',
            requestId: r.auth_request_id ?? '',
            challenge: r.auth_challenge ?? '',
            at: r.authorized_at,
            resetCount: r.auth_reset_count ?? null,
            challengeSeq: r.auth_challenge_seq ?? null,
          }
        : null,
    use: r.used_at !== null ? { kioskId: r.use_kiosk_id ?? '', requestId: r.use_request_id ?? '', at: r.used_at } : null,
  };
}

export function toEvent(r: EventRow): HistoryEvent {
  return {
    state: r.state,
    at: r.at,
    ...(r.kiosk_id !== null && { kioskId: r.kiosk_id }),
    ...(r.request_id !== null && { requestId: r.request_id }),
    ...(r.note !== null && { note: r.note }),
  };
}

/**
 * A booking's history: its stored events, with the authorization and the use (kept in the row, not
 * as events) put back in their place by time. A step also stored as an event (a use the card's
 * receipt proved, stored with its note) is shown once.
 */
export function historyOf(b: BookingRecord, stored: readonly EventRow[]): HistoryEvent[] {
  const events = stored.map(toEvent);
  const steps: HistoryEvent[] = [];
  if (b.authorization) steps.push({ state: 'authorized', at: b.authorization.at, kioskId: b.authorization.kioskId, requestId: b.authorization.requestId });
  if (b.use) steps.push({ state: 'used', at: b.use.at, kioskId: b.use.kioskId, requestId: b.use.requestId });
  const shown = steps.filter((st) => !events.some((e) => e.state === st.state && e.at === st.at && e.requestId === st.requestId && e.kioskId === st.kioskId));
  // In time order; a stored event comes before a row step of the same instant (the booking before
  // its authorization). Stable: steps keep authorized before used.
  return [...events, ...shown].sort((a, b) => a.at - b.at);
}

