/**
 * What a card file says after an exercise, read without a reader: its counters (tries left, resets
 * done) straight from the file, and whether it verifies a password, asked of a copy of the card run
 * in this process with its commits kept in memory — so checking never costs the card a try, and the
 * card on a reader is not disturbed.
 */
import type { ResetKind } from '../domain/passwords';
import { MemoryCardStore, readCardFile } from '../../native/card/card-file';
import { loadCard } from '../../native/card/card-module';
import { directChannel, JpkiClient } from '../jpki';
import type { Success } from './scenario';

export interface CardCounters {
  /** Tries left per password; null where the card has no such password (under 15: no 署名用). */
  readonly triesLeft: Readonly<Record<ResetKind, number | null>>;
  /** Center-authorized resets the card has taken, ever, per password. */
  readonly resets: Readonly<Record<ResetKind, number>>;
}

export function cardCounters(file: string): CardCounters {
  const state = readCardFile(file);
  return {
    triesLeft: { sign: state.pins.sign?.triesLeft ?? null, auth: state.pins.auth?.triesLeft ?? null },
    resets: { sign: state.resets?.sign?.count ?? 0, auth: state.resets?.auth?.count ?? 0 },
  };
}

/** Whether the card in `file` takes `value` for `kind` now (a locked password takes nothing). */
export async function cardVerifies(file: string, kind: ResetKind, value: string): Promise<boolean> {
  const card = loadCard(file, { store: new MemoryCardStore(), lock: false });
  const client = new JpkiClient(directChannel(card));
  await client.identify();
  return (await client.verify(kind, value)).result === 'verified';
}

/** The card half of a ScenarioObservation: its counters now, and whether it takes the password the task named. */
export async function observeCard(file: string, success: Success): Promise<{ cardNow: CardCounters; newPasswordVerifies: boolean | null }> {
  const cardNow = cardCounters(file);
  const named = 'reset' in success ? success.newPassword : undefined;
  return { cardNow, newPasswordVerifies: named === undefined || 'guidance' in success ? null : await cardVerifies(file, success.reset, named) };
}
