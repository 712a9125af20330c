/**
 * What the slot daemon (native/vpcd/slots.ts) loads: `createVirtualCard(cardFilePath)` turns a card
 * file into a running card that persists to that file. The card directory is the file's own, so
 * the simulator key next to it unseals the card's secrets.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { CardLock, FileCardStore, readCardFile, type AtomicWriteFs, type CardStore } from './card-file';
import { keyAad, resetKeyAad, type CardFile } from './card-state';
import { MyNumberCard, type CardSecrets } from './my-number-card';
import { presentedAs } from './presentation';
import { loadSimulatorKey, type SimulatorKey } from './simulator-key';
import type { VirtualCard } from '../vpcd/virtual-card';

export function unsealSecrets(state: CardFile, simKey: SimulatorKey): CardSecrets {
  const key = (sealed: string, which: 'auth' | 'sign') =>
    crypto.createPrivateKey({ key: simKey.unseal(sealed, keyAad(state.cardId, which)), format: 'der', type: 'pkcs8' });
  return {
    keys: state.keys.sign === undefined ? { auth: key(state.keys.auth, 'auth') } : { auth: key(state.keys.auth, 'auth'), sign: key(state.keys.sign, 'sign') },
    resetKey: simKey.unseal(state.resetKey, resetKeyAad(state.cardId)),
  };
}

export interface LoadCardOptions {
  /** Where commits go; default the card file itself. */
  readonly store?: CardStore;
  /** File-system calls for the default store (the crash test injects its own). */
  readonly fs?: AtomicWriteFs;
  /** Take the card file's lock (default true): one process runs a card at a time. */
  readonly lock?: boolean;
}

/** A card ready to insert, with a `release()` for its lock. */
export type LoadedCard = MyNumberCard & { release(): void };

export function loadCard(cardFilePath: string, opts: LoadCardOptions = {}): LoadedCard {
  const file = path.resolve(cardFilePath);
  const state = readCardFile(file);
  const simKey = loadSimulatorKey(path.dirname(file));
  const secrets = unsealSecrets(state, simKey);
  const lock = opts.lock === false ? undefined : CardLock.acquire(file);
  const card = new MyNumberCard({ state, secrets, simulatorKey: simKey, store: opts.store ?? new FileCardStore(file, opts.fs) }) as LoadedCard;
  // The lock goes with the process however it ends normally; a killed process leaves a lock
  // whose pid is dead, which the next owner takes over.
  const onExit = () => lock?.release();
  if (lock) process.once('exit', onExit);
  card.release = () => {
    lock?.release();
    process.off('exit', onExit);
  };
  return card;
}

/** The slot daemon's entry point: the card as its file says it presents itself (presentation.ts). */
export async function createVirtualCard(cardFilePath: string): Promise<VirtualCard & { release(): void }> {
  const card = loadCard(cardFilePath);
  const how = card.state.presentAs;
  if (how === undefined) return card;
  return Object.assign(presentedAs(card, how), { release: () => card.release() });
}
