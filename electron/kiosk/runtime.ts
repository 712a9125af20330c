/**
 * Composes the kiosk core with its production adapters: settings and data files, the reservation
 * center (an embedded one on loopback unless a URL is set), the PC/SC reader service with the JPKI
 * client, the reset journal and the session record. Shared by the browser host (electron/host) and
 * the Electron main process, so both run the very same core.
 *
 * Reader and center settings are read at start: changing them applies at the next start.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { KioskCenterClient } from '../center/client';
import type { EmbeddedCenter } from '../center/embedded';
import { DEFAULT_READER_NAME, parseSelector, PcscReaderService } from '../../native/pcsc';
import { CenterAdapter } from './adapters/center';
import { PcscCardReader } from './adapters/card-reader';
import { systemScheduler } from './adapters/system';
import { FileResetJournal } from './journal';
import { JsonlEventRecord } from './record';
import { KioskCore } from './session';
import { SettingsClock, SettingsStore } from './settings';
import type { SettleReport } from './journal';
import type { EventSink, KioskEvent, ReservationCenter } from './ports';

/** `$KIOSK_SIM_KIOSK_DIR`, else `~/.kiosk-sim/kiosk` (next to the simulator's cards). */
export function kioskDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KIOSK_SIM_KIOSK_DIR || path.join(os.homedir(), '.kiosk-sim', 'kiosk');
}

export interface KioskRuntimeOptions {
  readonly dataDir?: string;
  /** Embedded center's SQLite file (default: the center's own default). */
  readonly centerDbPath?: string;
  /** A center this runtime shares with others (a classroom's stations): used instead of the settings' or an embedded one. */
  readonly center?: { readonly url: string; readonly token: string };
  /** The PC/SC reader, instead of the settings' (a classroom station reads its own vpcd slot). */
  readonly readerName?: string;
  /** Also told every session event as it is recorded (a classroom's console follows its stations so). */
  readonly onEvent?: (event: KioskEvent) => void;
  readonly log?: (line: string) => void;
}

export interface KioskRuntime {
  readonly core: KioskCore;
  readonly settings: SettingsStore;
  readonly reader: PcscReaderService;
  readonly dataDir: string;
  /**
   * The center, once reachable: its URL, the embedded instance (when no URL is set), and the journal
   * entries settled at start-up (a reset interrupted by a crash). The core takes intents before
   * this resolves; a card read meanwhile simply waits for the center.
   */
  readonly center: Promise<{ readonly url: string; readonly embedded: EmbeddedCenter | undefined; readonly settled: SettleReport }>;
  close(): Promise<void>;
}

/** A ReservationCenter whose connection is still being set up: calls wait for it. */
class PendingCenter implements ReservationCenter {
  constructor(private readonly ready: Promise<ReservationCenter>) {}
  async check(req: Parameters<ReservationCenter['check']>[0]) {
    return (await this.ready).check(req);
  }
  async authorize(req: Parameters<ReservationCenter['authorize']>[0]) {
    return (await this.ready).authorize(req);
  }
  async confirm(req: Parameters<ReservationCenter['confirm']>[0]) {
    return (await this.ready).confirm(req);
  }
  async release(req: Parameters<ReservationCenter['release']>[0]) {
    return (await this.ready).release(req);
  }
}

async function connectCenter(
  settings: SettingsStore,
  centerDbPath: string | undefined,
  shared: KioskRuntimeOptions['center'],
): Promise<{ url: string; embedded: EmbeddedCenter | undefined; center: ReservationCenter }> {
  if (shared !== undefined) return { url: shared.url, embedded: undefined, center: new CenterAdapter(new KioskCenterClient({ baseUrl: shared.url, token: shared.token })) };
  const s = settings.get();
  if (s.centerUrl !== '') {
    return { url: s.centerUrl, embedded: undefined, center: new CenterAdapter(new KioskCenterClient({ baseUrl: s.centerUrl, token: s.centerKey })) };
  }
  // The embedded center keeps its own clock (real time + the offset a trainer sets on the center)
  // and shares its SQLite file with `npm run app`, so bookings made there are seen here.
  const token = crypto.randomBytes(24).toString('base64url');
  const { startEmbeddedCenter } = await import('../center/embedded');
  const embedded = await startEmbeddedCenter({ kioskKeys: { 'kiosk-01': token }, ...(centerDbPath !== undefined && { dbPath: centerDbPath }) });
  return { url: embedded.url, embedded, center: new CenterAdapter(new KioskCenterClient({ baseUrl: embedded.url, token })) };
}

/** The record, and a listener told each event after it is written (a listener's fault never stops the kiosk). */
function teeEvents(record: EventSink, listener: ((e: KioskEvent) => void) | undefined): EventSink {
  if (listener === undefined) return record;
  return {
    record(event) {
      record.record(event);
      try {
        listener(event);
      } catch {
        /* the console's bookkeeping is not the kiosk's concern */
      }
    },
  };
}

export async function startKioskRuntime(opts: KioskRuntimeOptions = {}): Promise<KioskRuntime> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const dataDir = opts.dataDir ?? kioskDataDir();
  const settings = new SettingsStore(path.join(dataDir, 'settings.json'));
  if (settings.loadProblem !== null) log(`warning: ${settings.loadProblem}`);
  const clock = new SettingsClock(settings);

  // The center starts alongside (the embedded one loads Fastify and SQLite): the screens are up first.
  const connecting = connectCenter(settings, opts.centerDbPath, opts.center);
  const readerName = opts.readerName ?? settings.get().readerName;
  const reader = new PcscReaderService({
    reader: readerName === '' ? { name: DEFAULT_READER_NAME } : parseSelector(readerName),
    // A station watches its own reader only (pcscd's contexts are shared by all of them).
    ...(opts.readerName !== undefined && { watch: 'selected' as const }),
  });
  const core = new KioskCore({
    reader: new PcscCardReader(reader, () => clock.now()),
    center: new PendingCenter(connecting.then((c) => c.center)),
    journal: new FileResetJournal(path.join(dataDir, 'reset-journal.jsonl')),
    events: teeEvents(new JsonlEventRecord(path.join(dataDir, 'record', 'sessions.jsonl')), opts.onEvent),
    settings,
    scheduler: systemScheduler,
  });
  const started = core.start();
  const center = connecting.then(async (c) => {
    let settled: SettleReport;
    try {
      settled = await started;
    } catch (err) {
      log(`warning: could not read the reset journal: ${(err as Error).message}`);
      settled = { confirmed: 0, released: 0, pending: 0, awaitingCard: 0 };
    }
    if (settled.confirmed > 0) log(`settled ${settled.confirmed} interrupted reset(s) with the center`);
    if (settled.released > 0) log(`gave back ${settled.released} reservation(s) whose card was never written`);
    if (settled.pending > 0) log(`warning: ${settled.pending} interrupted reset(s) not yet settled (center unavailable); retried before each session`);
    if (settled.awaitingCard > 0) log(`${settled.awaitingCard} reset(s) interrupted mid-write: settled from the card's receipt when it is placed here again`);
    return { url: c.url, embedded: c.embedded, settled };
  });
  // Nobody may be awaiting `center` yet: keep a failure from becoming an unhandled rejection.
  center.catch(() => undefined);

  return {
    core,
    settings,
    reader,
    dataDir,
    center,
    async close() {
      core.stop();
      await reader.close();
      const c = await connecting.catch(() => undefined);
      await c?.embedded?.close();
    },
  };
}
