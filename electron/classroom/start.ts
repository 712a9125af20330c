/**
 * `npm start -- --stations N [--lan] [--port P] [--scenarios DIR] [--dir DIR] [--db postgres://…]`: a
 * classroom on this machine.
 * N kiosk stations, each a full kiosk core on its own vpcd reader (pcscd with our reader.conf:
 * at most sixteen), its own data directory and card tray and phone, all with one embedded
 * reservation center; a console for the trainer. The kiosk's code path is the one a physical reader
 * takes: a station's card goes onto its reader through pcscd.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensurePcscd } from '../../native/pcscd/pcscd';
import { MAX_VPCD_SLOTS, virtualReaderName } from '../../native/vpcd/transport';
import { startEmbeddedCenter, type EmbeddedCenter } from '../center/embedded';
import { AppSimulator, centerAccessFor } from '../host/app-simulator';
import { NfcPhoneReader } from '../host/nfc-phone-reader';
import { VirtualCardDesk } from '../host/virtual-cards';
import { startKioskRuntime, type KioskRuntime } from '../kiosk/runtime';
import type { KioskEvent } from '../kiosk/ports';
import { newJoinCodes, newTrainerToken } from './access';
import { ClassroomConsole, NO_SCENARIOS } from './console';
import type { Scenario } from './scenario';
import { BUILT_IN_SCENARIO_DIR } from './scenario';
import { loadClassroomScenarios, scenarioCatalog } from './scenario-catalog';
import { startClassroomHost, type ClassroomHost } from './host';
import { Station } from './station';

export interface ClassroomOptions {
  readonly stations: number;
  /** Where each station's data and cards live (station-01/, …). */
  readonly dir: string;
  readonly rendererDir: string;
  readonly port: number;
  readonly lan?: boolean;
  /** The shared center's data: a SQLite file (default `<dir>/center.sqlite`) or a postgres:// URL. */
  readonly db?: string;
  /** The exercises on offer (default: none, free practice only). */
  readonly scenarios?: readonly Scenario[];
  readonly log?: (line: string) => void;
}

export interface Classroom {
  readonly host: ClassroomHost;
  readonly console: ClassroomConsole;
  readonly stations: readonly Station[];
  readonly center: EmbeddedCenter;
  readonly trainerToken: string;
  readonly joinCodes: readonly string[];
  close(): Promise<void>;
}

const stationId = (n: number) => `station-${String(n).padStart(2, '0')}`;

export async function startClassroom(opts: ClassroomOptions): Promise<Classroom> {
  const log = opts.log ?? ((line: string) => console.log(line));
  if (!Number.isInteger(opts.stations) || opts.stations < 1 || opts.stations > MAX_VPCD_SLOTS) {
    throw new RangeError(
      `--stations must be 1 to ${MAX_VPCD_SLOTS}: one pcscd holds ${MAX_VPCD_SLOTS} readers (docs/classroom.md says how to go past it with a second host)`,
    );
  }
  const cardDir = (n: number) => path.join(opts.dir, stationId(n), 'cards');
  const kioskKeys: Record<string, string> = Object.fromEntries(Array.from({ length: opts.stations }, (_, i) => [stationId(i + 1), newTrainerToken()]));
  // "Another store's kiosk", for scenarios whose reservation was used or interrupted elsewhere.
  kioskKeys['classroom-setup'] = newTrainerToken();
  const center = await startEmbeddedCenter({ kioskKeys, dbPath: opts.db ?? path.join(opts.dir, 'center.sqlite') });

  const runtimes: KioskRuntime[] = [];
  const stations: Station[] = [];
  try {
    for (let n = 1; n <= opts.stations; n++) {
      const id = stationId(n);
      // The runtime reports events from its start; the station that counts them is made just after.
      const events: { station?: Station } = {};
      const runtime = await startKioskRuntime({
        dataDir: path.join(opts.dir, id),
        center: { url: center.url, token: kioskKeys[id] as string },
        readerName: virtualReaderName(n - 1),
        onEvent: (e: KioskEvent) => events.station?.noteEvent(e),
        log: (line) => log(`${id}: ${line}`),
      });
      runtimes.push(runtime);
      fs.mkdirSync(cardDir(n), { recursive: true });
      const tray = new VirtualCardDesk({ cardDir: cardDir(n), slot: n - 1, service: runtime.reader });
      const access = centerAccessFor({ url: center.url, embedded: center });
      const app = new AppSimulator({ cardDir: cardDir(n), phone: new NfcPhoneReader(`phone ${n}`), center: async () => access });
      const station = new Station({ n, core: runtime.core, tray, app });
      events.station = station;
      stations.push(station);
    }
  } catch (err) {
    await Promise.all(runtimes.map((r) => r.close().catch(() => undefined)));
    await center.close();
    throw err;
  }

  const catalog =
    opts.scenarios === undefined
      ? NO_SCENARIOS
      : scenarioCatalog(opts.scenarios, {
          cardDir,
          settings: (n) => (runtimes[n - 1] as KioskRuntime).settings,
          center,
          setupKioskToken: kioskKeys['classroom-setup'] as string,
        });
  const trainerToken = newTrainerToken();
  const joinCodes = newJoinCodes(opts.stations);
  const trainerConsole = new ClassroomConsole({ stations, scenarios: catalog });
  const host = await startClassroomHost({
    rendererDir: opts.rendererDir,
    stations,
    console: trainerConsole,
    trainerToken,
    joinCodes,
    lan: opts.lan === true,
    port: opts.port,
  });
  if (opts.lan === true) {
    const lanOrigin = host.origins.at(-1) ?? host.origin;
    trainerConsole.setJoin((n) => ({ code: joinCodes[n - 1] ?? '', url: host.stationUrl(n, lanOrigin) }));
  }
  // The tray lists what each station was given; read once so the console's grid starts right.
  for (const s of stations) void s.tray.listCards().catch(() => undefined);

  return {
    host,
    console: trainerConsole,
    stations,
    center,
    trainerToken,
    joinCodes,
    async close() {
      await host.close();
      for (const s of stations) await (s.app as AppSimulator).close().catch(() => undefined);
      for (const s of stations) await s.tray.removeCard().catch(() => undefined);
      await Promise.all(runtimes.map((r) => r.close().catch(() => undefined)));
      await center.close();
    },
  };
}

export function classroomDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KIOSK_SIM_CLASSROOM_DIR || path.join(os.homedir(), '.kiosk-sim', 'classroom');
}

/** The command line (electron/host/start.ts hands `--stations` here). */
export async function main(argv: readonly string[], rendererDir: string): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { stations: { type: 'string' }, lan: { type: 'boolean' }, port: { type: 'string' }, dir: { type: 'string' }, scenarios: { type: 'string' }, db: { type: 'string' } },
    allowPositionals: true,
    strict: false,
  });
  const count = Number(values.stations);
  // The built-in exercises and a trainer's own folder; a bad file stops the start with every problem.
  const scenarios = loadClassroomScenarios(BUILT_IN_SCENARIO_DIR, ...(typeof values.scenarios === 'string' ? [values.scenarios] : []));
  const pcscd = await ensurePcscd({ slots: Math.max(2, count), logFile: path.join(rendererDir, '..', 'pcscd.log') });
  console.log(pcscd.startedByUs ? `pcscd started with ${count} station readers (pid ${pcscd.pid})` : `pcscd running (pid ${pcscd.pid})`);
  const room = await startClassroom({
    stations: count,
    dir: typeof values.dir === 'string' ? values.dir : classroomDir(),
    rendererDir,
    port: Number(typeof values.port === 'string' ? values.port : (process.env.KIOSK_PORT ?? 5177)),
    lan: values.lan === true,
    ...(typeof values.db === 'string' && { db: values.db }),
    scenarios,
  });
  const stop = async () => {
    await room.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  const origin = room.host.origins.at(-1) ?? room.host.origin;
  console.log(`classroom: ${count} station(s), data in ${typeof values.dir === 'string' ? values.dir : classroomDir()}`);
  console.log(`trainer's console: ${room.host.consoleUrl(origin)}`);
  for (const s of room.stations) console.log(`  station ${s.n}: ${room.host.stationUrl(s.n, origin)}${values.lan === true ? `  (join code ${room.joinCodes[s.n - 1]})` : ''}`);
}
