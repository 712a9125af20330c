/**
 * What the reader service reports, as plain values (no native objects), and the pure rules that
 * derive them from pcsc-lite's reader state flags. Kept apart so the rules are unit-tested alone.
 */
import { SCARD } from './binding';

/** The simulator's first vpcd slot; the kiosk's default reader. */
export const DEFAULT_READER_NAME = 'Virtual PCD 00 00';

/**
 * Which reader the service watches and connects to: an exact name, or the first name (in pcscd's
 * order) that starts with a prefix, preferring one that holds a card.
 */
export type ReaderSelector = { readonly name: string } | { readonly prefix: string };

/** A card as pcscd last reported it in one reader. */
export type CardPresence =
  | { readonly present: false }
  /** `mute`: the card is in but did not answer reset (its ATR is then empty). */
  | { readonly present: true; readonly atr: Buffer; readonly mute: boolean };

export interface ReaderInfo {
  readonly name: string;
  readonly card: CardPresence;
  /** This service holds a connection to the card in this reader. */
  readonly connected: boolean;
}

export type ShareMode = 'exclusive' | 'shared';
export type Protocol = 'T=0' | 'T=1';

/**
 * The state of the selected reader. `reader` and `atr` are all the caller needs to decide whether
 * the card is a simulator card (the real-card guard) before it sends anything that changes a card.
 */
export type ReaderState =
  /** The first reader list has not arrived yet (only right after the service is created). */
  | { readonly status: 'starting' }
  /** pcscd is not running (or the pcsclite module is missing); the service retries by itself. */
  | { readonly status: 'pcscd-unavailable'; readonly detail: string }
  | { readonly status: 'no-reader'; readonly selector: ReaderSelector }
  | { readonly status: 'no-card'; readonly reader: string }
  | { readonly status: 'card-mute'; readonly reader: string }
  | { readonly status: 'card-present'; readonly reader: string; readonly atr: Buffer }
  | { readonly status: 'connected'; readonly reader: string; readonly atr: Buffer; readonly protocol: Protocol; readonly shareMode: ShareMode }
  | { readonly status: 'closed' };

export type ReaderStateTag = ReaderState['status'];

/** Reads a card's presence from SCARD_STATE_* flags and the ATR the status call returned. */
export function presenceFromFlags(state: number, atr: Buffer | undefined): CardPresence {
  if ((state & SCARD.STATE_PRESENT) === 0 || (state & (SCARD.STATE_UNKNOWN | SCARD.STATE_UNAVAILABLE)) !== 0) {
    return { present: false };
  }
  const mute = (state & SCARD.STATE_MUTE) !== 0;
  return { present: true, atr: Buffer.from(atr ?? []), mute };
}

/** pcsc-lite counts card insertions and removals in the upper 16 bits of a reader's state. */
export function eventCount(state: number): number {
  return (state >>> 16) & 0xffff;
}

export function describeSelector(sel: ReaderSelector): string {
  return 'name' in sel ? `"${sel.name}"` : `a reader named "${sel.prefix}…"`;
}

/** Picks the reader a selector means among the readers pcscd lists (in pcscd's order). */
export function selectReader<R extends { readonly name: string; readonly card?: CardPresence }>(
  sel: ReaderSelector,
  readers: readonly R[],
): R | undefined {
  if ('name' in sel) return readers.find((r) => r.name === sel.name);
  const matching = readers.filter((r) => r.name.startsWith(sel.prefix));
  return matching.find((r) => r.card?.present === true) ?? matching[0];
}

/** Parses a selector given as text: "=Exact Name" or "Exact Name" for a name, "Prefix*" for a prefix. */
export function parseSelector(text: string): ReaderSelector {
  if (text.endsWith('*')) return { prefix: text.slice(0, -1) };
  return { name: text.startsWith('=') ? text.slice(1) : text };
}

/** The state a selected reader is in. */
export function readerState(
  sel: ReaderSelector,
  reader: (ReaderInfo & { readonly channel?: { readonly protocol: Protocol; readonly shareMode: ShareMode } }) | undefined,
): ReaderState {
  if (!reader) return { status: 'no-reader', selector: sel };
  const card = reader.card;
  if (!card.present) return { status: 'no-card', reader: reader.name };
  if (reader.channel) {
    return { status: 'connected', reader: reader.name, atr: card.atr, protocol: reader.channel.protocol, shareMode: reader.channel.shareMode };
  }
  if (card.mute) return { status: 'card-mute', reader: reader.name };
  return { status: 'card-present', reader: reader.name, atr: card.atr };
}

/** Two states are the same for listeners when they say the same thing. */
export function sameState(a: ReaderState, b: ReaderState): boolean {
  return stateKey(a) === stateKey(b);
}

function stateKey(s: ReaderState): string {
  // Buffers serialise as their bytes; the states are built with their keys in a fixed order.
  return JSON.stringify(s);
}

/** Delay before the n-th (0-based) attempt to reach pcscd again: doubling, capped. */
export function retryDelay(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 20));
}
