/**
 * Starts the browser host (`npm start`'s code) for one test with ISOLATED state, and stops it:
 * its own port, kiosk data directory (settings, journal, record), card directory (a copy of the
 * run's persona cards), reservation-center database, and the vpcd slot it reads. The kiosk's
 * settings (store chain, simulated clock, timeouts, reader, center) are written before it starts,
 * as a trainer would have left them.
 *
 * Shared by the specs, `npm run screens` and bench/e2e.bench.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChainId } from '../../electron/domain/chains';
import type { Language } from '../../electron/contract/schema';
import type { ClockSetting, TimeoutSettings } from '../../electron/contract/trainer';
import { createCard } from '../../native/card/issue';
import { PERSONA_IDS } from '../../native/card/personas';
import { PcscReaderService } from '../../native/pcsc/reader-service';
import { defaultRunDir, liveSlotState, removeFromSlot } from '../../native/vpcd/slots';
import { virtualReaderName } from '../../native/vpcd/transport';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The vpcd slot the end-to-end tests put their cards in: slot 0 ("Virtual PCD 00 00", the
 * simulator's default reader) unless KIOSK_E2E_SLOT says 1. The PC/SC tests use both slots too, so
 * a test waits for its slot to be empty before it starts (see waitForEmptySlot).
 */
export const E2E_SLOT: 0 | 1 = process.env.KIOSK_E2E_SLOT === '1' ? 1 : 0;

const JST_MS = 9 * 3600_000;

/** Epoch ms of hh:mm:ss Japan time today (the kiosk's hours are Japan time). */
export function jstToday(hh: number, mm = 0, ss = 0): number {
  const day = new Date(Date.now() + JST_MS).toISOString().slice(0, 10);
  const t = (n: number) => String(n).padStart(2, '0');
  return Date.parse(`${day}T${t(hh)}:${t(mm)}:${t(ss)}+09:00`);
}

/** A running simulated clock that reads `at` now (the trainer's "set the time to …"). */
export function clockAt(at: number): ClockSetting {
  return { mode: 'offset', offsetMs: at - Date.now() };
}

// ---------------------------------------------------------------------------------------------
// Persona cards: made once per run (RSA keys take a while), copied for every test

/** Makes one card per persona, named after it, in `dir` (with its simulator key and test CAs). */
export async function makePersonaCards(dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  for (const persona of PERSONA_IDS) await createCard(persona, { dir, name: persona });
}

let localTemplate: Promise<string> | undefined;

/** The run's persona cards (global-setup.ts makes them; made here when run without it). */
function cardTemplate(): Promise<string> {
  const fromSetup = process.env.KIOSK_E2E_CARD_TEMPLATE;
  if (fromSetup !== undefined && fs.existsSync(fromSetup)) return Promise.resolve(fromSetup);
  localTemplate ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-e2e-cards-'));
    await makePersonaCards(dir);
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  })();
  return localTemplate;
}

// ---------------------------------------------------------------------------------------------
// The slot

/** Waits until nothing is in `slot` (no slot daemon, pcscd sees no card); another test may be finishing. */
export async function waitForEmptySlot(slot: number, timeoutMs = 30_000): Promise<void> {
  const reader = virtualReaderName(slot);
  const svc = new PcscReaderService({ reader: { name: reader } });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await svc.waitForState((st) => st.status !== 'starting', { timeoutMs: 10_000 }).catch(() => svc.state);
      if (s.status === 'no-card' && liveSlotState(defaultRunDir(), slot) === undefined) return;
      if (Date.now() > deadline) {
        throw new Error(`the end-to-end tests need ${reader} empty, but it is ${s.status} (npm run card -- remove --slot ${slot}?)`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await svc.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The host

export interface HostOptions {
  /** Store chain; default Seven-Eleven (offers both resets). */
  readonly chain?: ChainId;
  /** The kiosk's simulated clock; default 10:00 Japan time today, running. */
  readonly clock?: ClockSetting;
  readonly timeouts?: TimeoutSettings;
  readonly language?: Language;
  /** Reader the kiosk uses; default the test slot's virtual reader. */
  readonly readerName?: string;
  /** An external center (URL and kiosk key); default the host's embedded center on the test's database. */
  readonly center?: { readonly url: string; readonly key: string };
  /** Extra environment for the host process. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * How the host is started: `launch` (default) as `npm start` does (electron/host/launch.mjs: the
   * bundled host, rebuilt first if stale), or `source` (electron/host/start.ts through tsx).
   */
  readonly entry?: 'launch' | 'source';
}

export interface KioskHost {
  /** The page URL, e.g. http://127.0.0.1:40123/ */
  readonly url: string;
  readonly origin: string;
  /** The test's directory: kiosk/, cards/, center.sqlite. */
  readonly root: string;
  readonly kioskDir: string;
  readonly cardDir: string;
  readonly centerDbPath: string;
  readonly slot: number;
  /** The center the kiosk uses, as the host printed it. */
  readonly centerUrl: string;
  cardFile(name: string): string;
  /** Everything the host printed (PIN-free by design; shown when a test fails). */
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts the host and resolves once it serves the page, its center is reachable and its virtual
 * cards are ready (what `npm start` prints in that order).
 */
export async function startBrowserHostForTest(opts: HostOptions = {}): Promise<KioskHost> {
  const slot = E2E_SLOT;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-e2e-'));
  const kioskDir = path.join(root, 'kiosk');
  const cardDir = path.join(root, 'cards');
  const centerDbPath = path.join(root, 'center.sqlite');
  fs.cpSync(await cardTemplate(), cardDir, { recursive: true });
  fs.mkdirSync(kioskDir, { recursive: true });
  const settings = {
    chain: opts.chain ?? 'seven-eleven',
    clock: opts.clock ?? clockAt(jstToday(10)),
    readerName: opts.readerName ?? virtualReaderName(slot),
    centerUrl: opts.center?.url ?? '',
    centerKey: opts.center?.key ?? '',
    timeouts: opts.timeouts ?? { inactivitySeconds: 120, warningSeconds: 20, takeCardSeconds: 120 },
    language: opts.language ?? 'ja',
    maintenance: [],
  };
  fs.writeFileSync(path.join(kioskDir, 'settings.json'), JSON.stringify(settings, null, 2), { mode: 0o600 });

  const port = await freePort();
  const entry = opts.entry === 'source' ? ['--import', 'tsx', 'electron/host/start.ts'] : ['electron/host/launch.mjs'];
  const child = spawn(process.execPath, entry, {
    cwd: repo,
    env: {
      ...process.env,
      KIOSK_PORT: String(port),
      KIOSK_SIM_KIOSK_DIR: kioskDir,
      KIOSK_SIM_CARD_DIR: cardDir,
      KIOSK_SIM_CENTER_DB: centerDbPath,
      // The run builds the renderer once before the tests (npm run test:e2e); a host must not
      // rebuild it under another test because a source file changed meanwhile.
      KIOSK_USE_BUILT_RENDERER: '1',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const cleanUp = async () => {
    await stopChild(child);
    await takeOurCardOut(slot, root);
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    const { url, centerUrl } = await new Promise<{ url: string; centerUrl: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`browser host did not get ready:\n${out}`)), 30_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        const page = /kiosk-sim browser host: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        const center = /reservation center: (?:embedded, )?(\S+)/.exec(out);
        const cards = /virtual cards ready|warning: virtual cards/.test(out);
        if (page?.[1] && center?.[1] && cards) {
          clearTimeout(timer);
          resolve({ url: page[1], centerUrl: center[1] });
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`browser host exited with ${code}:\n${out}`));
      });
    });
    child.removeAllListeners('exit');
    return {
      url,
      origin: url.replace(/\/$/, ''),
      root,
      kioskDir,
      cardDir,
      centerDbPath,
      slot,
      centerUrl,
      cardFile: (name) => path.join(cardDir, `${name}.card.json`),
      output: () => out,
      stop: cleanUp,
    };
  } catch (err) {
    await cleanUp();
    throw err;
  }
}

/** A card the host's trainer desk left in the slot is taken out; another engineer's card never is. */
async function takeOurCardOut(slot: number, root: string): Promise<void> {
  const held = liveSlotState(defaultRunDir(), slot);
  if (held !== undefined && path.resolve(held.arg).startsWith(root + path.sep)) await removeFromSlot({ slot });
}
