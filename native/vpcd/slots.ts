/**
 * Virtual-card slots: a virtual card that STAYS in a vpcd slot after the call that inserted it
 * returns. A card is in a slot while a process holds its TCP connection to vpcd, so `insert`
 * starts a small detached daemon (slot-daemon.ts) that loads the card and holds the connection;
 * `remove` stops it. `npm run vcard` (cli.ts) is the command-line face of this module.
 *
 * Programmatic API:
 *
 *   import { insertIntoSlot, removeFromSlot, slotStatus } from '../native/vpcd/slots';
 *
 *   const s = await insertIntoSlot({ slot: 0, card: 'native/card/card-module.ts', arg: 'cards/alice.json' });
 *   //  → SlotState { slot, pid, reader: 'Virtual PCD 00 00', card, arg, atr, startedAt, … }
 *   //  Resolves only once pcscd reports the card present in that reader.
 *   await removeFromSlot({ slot: 0 });   // resolves once pcscd reports the reader empty
 *   const slots = await slotStatus();    // both slots: daemon (if any) and what pcscd sees
 *
 * - `card` is a built-in name (`minimal`: test-cards.ts's MinimalJpkiCard) or the path (absolute,
 *   or relative to the current directory) of an ES module, TypeScript allowed, that exports
 *       createVirtualCard(arg: string): Promise<VirtualCard>
 *   The daemon calls it once with `arg` (default ''), in its own process: the card's state lives
 *   there, so a card that must survive the daemon persists itself (see VirtualCard.transmit).
 * - Failures are SlotError with a code: SLOT_BUSY (a live daemon holds the slot, or pcscd already
 *   sees a card in that reader), PCSCD_UNAVAILABLE, VPCD_UNREACHABLE (pcscd runs without the
 *   vsmartcard-vpcd driver, or its port refuses), CARD_LOAD_FAILED (the module or its
 *   createVirtualCard threw), NOT_INSERTED_HERE (remove: the card in that reader was not inserted
 *   by a slot daemon), TIMEOUT, DAEMON_FAILED.
 * - State files live in `runDir` (option, else $KIOSK_SIM_RUN_DIR, else /tmp/kiosk-sim):
 *   slot-<n>.json (the SlotState; the daemon writes it and deletes it when it exits) and
 *   slot-<n>.log (the daemon's output, appended).
 * - If pcscd restarts, the daemon reconnects by itself: the card stays in its slot.
 * - Pass `service` to reuse a running PcscReaderService; otherwise a short-lived one is opened.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PcscReaderService } from '../pcsc/reader-service';
import type { CardPresence, ReaderState } from '../pcsc/reader-state';
import { MAX_VPCD_SLOTS, virtualReaderName } from './transport';

export const SLOTS = [0, 1] as const;

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');

/** Cards `insert` knows by name: module path and the argument passed when none is given. */
export const BUILTIN_CARDS: Readonly<Record<string, { readonly module: string; readonly arg: string }>> = {
  minimal: { module: path.join(here, 'test-cards.ts'), arg: 'minimal' },
  bare: { module: path.join(here, 'test-cards.ts'), arg: 'bare' },
};

export type SlotErrorCode =
  | 'BAD_SLOT'
  | 'SLOT_BUSY'
  | 'PCSCD_UNAVAILABLE'
  | 'VPCD_UNREACHABLE'
  | 'CARD_LOAD_FAILED'
  | 'NOT_INSERTED_HERE'
  | 'TIMEOUT'
  | 'DAEMON_FAILED';

export class SlotError extends Error {
  constructor(
    readonly code: SlotErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SlotError';
  }
}

/** What slot-<n>.json holds while a daemon holds the slot. */
export interface SlotState {
  readonly slot: number;
  readonly pid: number;
  readonly reader: string;
  /** The card as asked for: a built-in name or the module path given. */
  readonly card: string;
  /** The module the daemon loaded (absolute path). */
  readonly module: string;
  readonly arg: string;
  /** 'starting' until the card is in vpcd; 'waiting-for-vpcd' while pcscd is away. */
  readonly status: 'starting' | 'inserted' | 'waiting-for-vpcd';
  /** The card's ATR, hex. */
  readonly atr?: string;
  readonly startedAt: string;
}

export interface SlotOptions {
  /** 0 or 1; default 0. */
  readonly slot?: number;
  readonly runDir?: string;
  /** Default 20 s for insert, 10 s for remove. */
  readonly timeoutMs?: number;
  readonly service?: PcscReaderService;
}

export interface InsertOptions extends SlotOptions {
  /** A built-in card name (`minimal`) or a card module path. */
  readonly card: string;
  readonly arg?: string;
}

export interface SlotStatus {
  readonly slot: number;
  readonly reader: string;
  /** The live daemon holding the slot, if any. */
  readonly daemon: SlotState | undefined;
  /** What pcscd reports for the reader; undefined when pcscd is unavailable or lists no such reader. */
  readonly card: CardPresence | undefined;
}

/** Messages from the daemon to the process that started it (over the IPC channel). */
export type DaemonMessage =
  | { readonly type: 'inserted'; readonly atr: string }
  | { readonly type: 'error'; readonly code: SlotErrorCode; readonly message: string };

/** What the daemon is started with (one JSON argument). */
export interface DaemonConfig {
  readonly slot: number;
  readonly card: string;
  readonly module: string;
  readonly arg: string;
  readonly runDir: string;
}

export function defaultRunDir(): string {
  return process.env.KIOSK_SIM_RUN_DIR || '/tmp/kiosk-sim';
}

export function stateFile(runDir: string, slot: number): string {
  return path.join(runDir, `slot-${slot}.json`);
}

export function logFile(runDir: string, slot: number): string {
  return path.join(runDir, `slot-${slot}.log`);
}

export function checkSlot(slot: number): number {
  if (!Number.isInteger(slot) || slot < 0 || slot >= MAX_VPCD_SLOTS) throw new SlotError('BAD_SLOT', `slot must be 0 to ${MAX_VPCD_SLOTS - 1}, got ${slot}`);
  return slot;
}

/** Resolves a card given as a built-in name or a module path to the module and argument to load. */
export function resolveCard(card: string, arg: string | undefined, cwd = process.cwd()): { module: string; arg: string } {
  const builtin = BUILTIN_CARDS[card];
  if (builtin) return { module: builtin.module, arg: arg ?? builtin.arg };
  const module = path.resolve(cwd, card);
  if (!fs.existsSync(module)) {
    throw new SlotError('CARD_LOAD_FAILED', `no card module at ${module} (built-in cards: ${Object.keys(BUILTIN_CARDS).join(', ')})`);
  }
  return { module, arg: arg ?? '' };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // A reused pid (after a reboot that kept the run dir) is not our daemon.
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('slot-daemon');
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

export function readSlotState(runDir: string, slot: number): SlotState | undefined {
  try {
    return JSON.parse(fs.readFileSync(stateFile(runDir, slot), 'utf8')) as SlotState;
  } catch {
    return undefined;
  }
}

/** The slot's state file if its daemon is alive; a stale file (dead daemon) is deleted. */
export function liveSlotState(runDir: string, slot: number): SlotState | undefined {
  const s = readSlotState(runDir, slot);
  if (!s) return undefined;
  if (isAlive(s.pid)) return s;
  fs.rmSync(stateFile(runDir, slot), { force: true });
  return undefined;
}

/** Inserts a card into a slot through a detached daemon; see the top of this file. */
export async function insertIntoSlot(opts: InsertOptions): Promise<SlotState> {
  const slot = checkSlot(opts.slot ?? 0);
  const runDir = opts.runDir ?? defaultRunDir();
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  const reader = virtualReaderName(slot);
  const { module, arg } = resolveCard(opts.card, opts.arg);
  fs.mkdirSync(runDir, { recursive: true });
  const held = liveSlotState(runDir, slot);
  if (held) throw new SlotError('SLOT_BUSY', `slot ${slot} holds ${held.card} (daemon pid ${held.pid}); remove it first`);

  return withService(opts.service, reader, async (svc) => {
    await svc.ready();
    const before = svc.readers().find((r) => r.name === reader);
    checkReachable(svc.state, before !== undefined, reader);
    if (before?.card.present) {
      throw new SlotError('SLOT_BUSY', `pcscd already sees a card in ${reader} (not inserted by a slot daemon: an in-process card or another tool)`);
    }

    const config: DaemonConfig = { slot, card: opts.card, module, arg, runDir };
    const child = spawnDaemon(config);
    try {
      const msg = await daemonAnswer(child, deadline - Date.now(), logFile(runDir, slot));
      if (msg.type === 'error') throw new SlotError(msg.code, msg.message);
      await waitForCard(svc, reader, true, deadline);
      const state = readSlotState(runDir, slot);
      if (!state || state.pid !== child.pid) throw new SlotError('DAEMON_FAILED', `the slot daemon wrote no state file in ${runDir}`);
      return state;
    } catch (err) {
      if (child.exitCode === null) child.kill('SIGTERM');
      throw err;
    } finally {
      if (child.connected) child.disconnect();
      child.unref();
    }
  });
}

/**
 * Takes the card out of a slot: stops the daemon and waits until pcscd reports the reader empty.
 * Resolves `{ removed: false }` when the slot was already empty.
 */
export async function removeFromSlot(opts: SlotOptions = {}): Promise<{ removed: boolean; state?: SlotState }> {
  const slot = checkSlot(opts.slot ?? 0);
  const runDir = opts.runDir ?? defaultRunDir();
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  const reader = virtualReaderName(slot);
  const state = liveSlotState(runDir, slot);
  return withService(opts.service, reader, async (svc) => {
    await svc.ready();
    if (!state) {
      const card = svc.readers().find((r) => r.name === reader)?.card;
      if (card?.present) {
        throw new SlotError('NOT_INSERTED_HERE', `the card in ${reader} was not inserted by a slot daemon; remove it where it was inserted`);
      }
      return { removed: false };
    }
    await stopDaemon(state.pid, deadline);
    fs.rmSync(stateFile(runDir, slot), { force: true });
    // pcscd notices at its next presence poll (a few hundred ms).
    if (svc.state.status !== 'pcscd-unavailable') await waitForCard(svc, reader, false, deadline);
    return { removed: true, state };
  });
}

/** Both slots: their daemons and what pcscd sees in their readers. */
export async function slotStatus(opts: Pick<SlotOptions, 'runDir' | 'service'> = {}): Promise<SlotStatus[]> {
  const runDir = opts.runDir ?? defaultRunDir();
  return withService(opts.service, virtualReaderName(0), async (svc) => {
    await svc.ready();
    const readers = svc.readers();
    return SLOTS.map((slot) => {
      const reader = virtualReaderName(slot);
      return { slot, reader, daemon: liveSlotState(runDir, slot), card: readers.find((r) => r.name === reader)?.card };
    });
  });
}

// ---- helpers ------------------------------------------------------------------------------------

async function withService<T>(given: PcscReaderService | undefined, reader: string, fn: (svc: PcscReaderService) => Promise<T>): Promise<T> {
  // A short-lived service only to watch: no retrying while pcscd is down.
  const svc = given ?? new PcscReaderService({ reader: { name: reader }, retryInitialMs: 60_000 });
  try {
    return await fn(svc);
  } finally {
    if (!given) await svc.close();
  }
}

function checkReachable(state: ReaderState, listed: boolean, reader: string): void {
  if (state.status === 'pcscd-unavailable') {
    throw new SlotError('PCSCD_UNAVAILABLE', `pcscd is not running (${state.detail}); start it with npm run pcscd -- start`);
  }
  if (!listed) {
    throw new SlotError('VPCD_UNREACHABLE', `pcscd lists no reader "${reader}": is the Debian package vsmartcard-vpcd installed (and pcscd restarted since)?`);
  }
}

function spawnDaemon(config: DaemonConfig) {
  const out = fs.openSync(logFile(config.runDir, config.slot), 'a');
  try {
    return spawn(process.execPath, ['--import', 'tsx', path.join(here, 'slot-daemon.ts'), JSON.stringify(config)], {
      cwd: repoRoot, // where `--import tsx` resolves
      detached: true,
      stdio: ['ignore', out, out, 'ipc'],
      env: { ...process.env, ...(process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {}) },
    });
  } finally {
    fs.closeSync(out);
  }
}

function daemonAnswer(child: ReturnType<typeof spawnDaemon>, timeoutMs: number, log: string): Promise<DaemonMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(() => reject(new SlotError('TIMEOUT', `the slot daemon did not answer within ${timeoutMs} ms; see ${log}`))), Math.max(0, timeoutMs));
    const onMessage = (m: unknown) => finish(() => resolve(m as DaemonMessage));
    const onExit = (code: number | null, signal: string | null) =>
      finish(() => reject(new SlotError('DAEMON_FAILED', `the slot daemon exited (${signal ?? `code ${code}`}) before inserting the card:\n${tail(log)}`)));
    const onError = (err: Error) => finish(() => reject(new SlotError('DAEMON_FAILED', `cannot start the slot daemon: ${err.message}`)));
    function finish(then: () => void): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
      then();
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.on('error', onError);
  });
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function waitForCard(svc: PcscReaderService, reader: string, present: boolean, deadline: number): Promise<void> {
  const matches = () => svc.readers().find((r) => r.name === reader)?.card.present === present;
  if (matches()) return;
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (!matches()) return;
      done();
      resolve();
    };
    const timer = setTimeout(() => {
      done();
      reject(new SlotError('TIMEOUT', `pcscd did not report ${reader} ${present ? 'holding a card' : 'empty'} in time`));
    }, Math.max(0, deadline - Date.now()));
    const done = () => {
      clearTimeout(timer);
      svc.off('card-inserted', check);
      svc.off('card-removed', check);
      svc.off('state', check);
    };
    svc.on('card-inserted', check);
    svc.on('card-removed', check);
    svc.on('state', check);
  });
}

async function stopDaemon(pid: number, deadline: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}
