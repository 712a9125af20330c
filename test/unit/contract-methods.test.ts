/**
 * The method table (electron/contract/methods.ts), every entry through both transports: Electron
 * IPC (with `electron` mocked, as electron-ipc tests do) and the browser host's WebSocket (a real
 * socket, as kiosk-ws tests do). For each method both take valid arguments to the same backend
 * function, refuse the same malformed ones before any backend, refuse a citizen's window or
 * connection a method of another audience, and answer UNSUPPORTED where the host lacks the facility.
 * The backends here are built from the table too, so a new entry is covered without a new test.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { AppApi, KioskApi, MethodArgs, TrainerApi } from '../../electron/contract/api';
import type { AppIntent, AppResult, AppView } from '../../electron/contract/app';
import type { AppBackend, Backends, KioskBackend, TrainerBackend } from '../../electron/contract/backends';
import type { Intent, SendResult, Snapshot } from '../../electron/contract/kiosk';
import { KIOSK_IPC, KIOSK_METHODS, METHODS, type Audience, type KioskMethod } from '../../electron/contract/methods';
import { assertSame, type Same } from '../../electron/contract/schema';
import type {
  CenterDeskPatch,
  CenterDeskResult,
  SettingsPatch,
  SettingsResult,
  SettingsView,
  TrainerResult,
  VirtualCardsView,
} from '../../electron/contract/trainer';
import { callMessage, KIOSK_WS_PATH, UNSUPPORTED_MESSAGES, type ServerMessage } from '../../electron/contract/wire';
import { attachKioskWebSocket } from '../../electron/host/kiosk-ws';

vi.mock('electron', () => import('../fakes/electron'));

const fake = await import('../fakes/electron');
const { KioskIpc } = await import('../../electron/main/kiosk-ipc');
const { readShellConfig } = await import('../../electron/main/shell-config');

const production = readShellConfig({ argv: [], env: {}, isPackaged: true });

/** Valid arguments of every method (keyed by the table: a new method needs its sample here). */
const VALID: { readonly [M in KioskMethod]: MethodArgs<M> } = {
  getSnapshot: [],
  send: [{ type: 'choose-service', service: 'admin' }],
  getSettings: [],
  updateSettings: [{ chain: 'lawson' }],
  listCards: [],
  placeCard: ['adult'],
  removeCard: [],
  getAppState: [],
  sendApp: [{ type: 'start', card: 'adult' }],
  getCenter: [],
  updateCenter: [{ offsetMs: 60_000 }],
  getClass: [],
  actOnStations: [[1, 2], { type: 'pause' }],
  classCsv: [],
};

/** Malformed argument lists of a method: one too many, one too few, and each argument of the wrong type. */
function malformed(method: KioskMethod): [string, unknown[]][] {
  const valid = VALID[method] as readonly unknown[];
  const cases: [string, unknown[]][] = [['one argument too many', [...valid, 'extra']]];
  if (valid.length > 0) cases.push(['one argument too few', valid.slice(0, -1)]);
  valid.forEach((_, i) => cases.push([`argument ${i} of the wrong type`, valid.map((v, j) => (j === i ? 42 : v))]));
  return cases;
}

/** The call message for arguments that may not fit: extra ones go in a field the method does not have. */
function wsCall(id: number, method: KioskMethod, args: readonly unknown[]): Record<string, unknown> {
  const named = METHODS[method].args.length;
  return { ...callMessage(id, method, args.slice(0, named)), ...(args.length > named && { extra: args[named] }) };
}

/** Backends for every facility, built from the table: each function records its call and answers `{ answered: method }`. */
function recordingBackends() {
  const calls: [KioskMethod, unknown[]][] = [];
  const facilities: Record<string, Record<string, unknown>> = {
    core: { onSnapshot: () => () => undefined },
    trainer: {},
    app: {},
    console: {},
  };
  for (const method of KIOSK_METHODS) {
    const { facility, backend, async } = METHODS[method];
    facilities[facility]![backend] = (...args: unknown[]) => {
      calls.push([method, args]);
      const answer = method === 'getSnapshot' ? { seq: 1 } : { answered: method };
      return async ? Promise.resolve(answer) : answer;
    };
  }
  const backends = facilities as unknown as Required<Backends>;
  return { backends, calls, answerOf: (m: KioskMethod) => (m === 'getSnapshot' ? { seq: 1 } : { answered: m }) };
}

/** What a transport made of one call: the answer, or the code it refused with. */
type Outcome = { ok: true; value: unknown } | { ok: false; code: string; message?: string };

// --- Electron IPC ----------------------------------------------------------------------------

function ipcTransport(opts: { role: 'kiosk' | 'trainer'; facilities: 'all' | 'core' }) {
  const rec = recordingBackends();
  const ipc = new KioskIpc({
    core: rec.backends.core,
    ...(opts.facilities === 'all' && { trainer: rec.backends.trainer, app: rec.backends.app }),
    cfg: production,
  });
  const win = new fake.BrowserWindow();
  win.webContents.mainFrame.url = 'app://kiosk/index.html';
  ipc.attach(win as never, opts.role);
  return {
    kind: 'ipc' as const,
    calls: rec.calls,
    answerOf: rec.answerOf,
    async call(method: KioskMethod, args: readonly unknown[]): Promise<Outcome> {
      try {
        return { ok: true, value: await fake.ipcMain.invoke(KIOSK_IPC[method], win.webContents, [...args]) };
      } catch (err) {
        return { ok: false, code: (err as { code: string }).code };
      }
    },
  };
}

// --- WebSocket -------------------------------------------------------------------------------

/** Every audience of the table. */
const AUDIENCES = [...new Set(KIOSK_METHODS.map((m) => METHODS[m].audience))];

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
beforeEach(() => fake.resetElectronFake());

async function wsTransport(opts: { audiences?: readonly Audience[]; facilities: 'all' | 'core' }) {
  // Every audience unless the test says otherwise (the host's own default leaves the console out).
  const audiences = opts.audiences ?? AUDIENCES;
  const rec = recordingBackends();
  const server = http.createServer((_req, res) => res.end('renderer'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const host = attachKioskWebSocket(server, rec.backends.core, {
    allowedOrigins: [origin],
    ...(opts.facilities === 'all' && { trainer: rec.backends.trainer, app: rec.backends.app, console: rec.backends.console }),
    audiences: () => new Set(audiences),
  });
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  cleanup.push(() => host.close());
  const ws = new WebSocket(`${origin.replace('http', 'ws')}${KIOSK_WS_PATH}`, { origin });
  const waiting = new Map<number, (m: ServerMessage) => void>();
  let connected: () => void;
  const firstSnapshot = new Promise<void>((r) => (connected = r));
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as ServerMessage;
    if (m.type === 'snapshot') connected();
    if (m.type === 'reply' && m.id !== null) waiting.get(m.id)?.(m);
  });
  ws.once('error', (err) => {
    throw err;
  });
  cleanup.push(() => ws.close());
  // The host pushes the current snapshot on connect: that read is the connection's, not a call.
  await firstSnapshot;
  rec.calls.length = 0;
  let nextId = 1;
  return {
    kind: 'ws' as const,
    calls: rec.calls,
    answerOf: rec.answerOf,
    call(method: KioskMethod, args: readonly unknown[]): Promise<Outcome> {
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, (m) => {
          if (m.type !== 'reply') return;
          resolve(m.ok ? { ok: true, value: m.value } : { ok: false, code: m.error.code, message: m.error.message });
        });
        ws.send(JSON.stringify(wsCall(id, method, args)));
      });
    },
  };
}

const TRANSPORT_CODES = {
  ipc: { notAllowed: 'IPC_NOT_ALLOWED' },
  ws: { notAllowed: 'NOT_ALLOWED' },
} as const;

describe.each(KIOSK_METHODS)('%s', (method) => {
  const spec = METHODS[method];
  // The classroom console is a page of the browser host: no Electron window has its audience.
  const inElectron = spec.audience !== 'console';

  it('both transports take valid arguments to the backend function the table names, and answer with what it answered', async () => {
    for (const t of [ipcTransport({ role: 'trainer', facilities: 'all' }), await wsTransport({ facilities: 'all' })]) {
      const outcome = await t.call(method, VALID[method]);
      if (!inElectron && t.kind === 'ipc') continue; // refused: see "no Electron window" below
      expect(outcome).toEqual({ ok: true, value: t.answerOf(method) });
      expect(t.calls).toEqual([[method, VALID[method]]]);
    }
  });

  it.each(malformed(method))('both transports refuse %s with INVALID_MESSAGE, before any backend', async (_what, args) => {
    for (const t of [ipcTransport({ role: 'trainer', facilities: 'all' }), await wsTransport({ facilities: 'all' })]) {
      if (!inElectron && t.kind === 'ipc') continue;
      expect(await t.call(method, args)).toMatchObject({ ok: false, code: 'INVALID_MESSAGE' });
      expect(t.calls).toEqual([]);
    }
  });

  it(`audience ${spec.audience}: a WebSocket connection of any other audience is refused it, before any backend`, async () => {
    for (const audience of AUDIENCES) {
      const ws = await wsTransport({ audiences: [audience], facilities: 'all' });
      const outcome = await ws.call(method, VALID[method]);
      if (audience === spec.audience) expect(outcome).toEqual({ ok: true, value: ws.answerOf(method) });
      else {
        expect(outcome).toMatchObject({ ok: false, code: 'NOT_ALLOWED' });
        expect(ws.calls).toEqual([]);
      }
    }
  });

  if (!inElectron) {
    it('no Electron window may call it, not even the trainer’s', async () => {
      const ipc = ipcTransport({ role: 'trainer', facilities: 'all' });
      expect(await ipc.call(method, VALID[method])).toEqual({ ok: false, code: 'IPC_NOT_ALLOWED' });
      expect(ipc.calls).toEqual([]);
    });
  }

  it(`audience ${spec.audience}: a citizen's window and a citizen's connection may call it only if it is the citizen's`, async () => {
    const ipc = ipcTransport({ role: 'kiosk', facilities: 'all' });
    const ws = await wsTransport({ audiences: ['kiosk'], facilities: 'all' });
    for (const [name, t] of [['ipc', ipc], ['ws', ws]] as const) {
      const outcome = await t.call(method, VALID[method]);
      if (spec.audience === 'kiosk') expect(outcome).toEqual({ ok: true, value: t.answerOf(method) });
      else {
        expect(outcome).toMatchObject({ ok: false, code: TRANSPORT_CODES[name].notAllowed });
        expect(t.calls).toEqual([]);
      }
    }
  });

  it(`facility ${spec.facility}: where the host lacks it, both transports answer UNSUPPORTED`, async () => {
    const ipc = ipcTransport({ role: 'trainer', facilities: 'core' });
    const ws = await wsTransport({ facilities: 'core' });
    const [byIpc, byWs] = [await ipc.call(method, VALID[method]), await ws.call(method, VALID[method])];
    if (spec.facility === 'core') {
      expect(byIpc).toEqual({ ok: true, value: ipc.answerOf(method) });
      expect(byWs).toEqual({ ok: true, value: ws.answerOf(method) });
    } else {
      expect(byIpc).toEqual({ ok: false, code: inElectron ? 'UNSUPPORTED' : 'IPC_NOT_ALLOWED' });
      expect(byWs).toEqual({ ok: false, code: 'UNSUPPORTED', message: UNSUPPORTED_MESSAGES[spec.facility] });
    }
  });
});

describe('what the table derives stays as it was', () => {
  it('the IPC channel names', () => {
    expect(KIOSK_IPC).toEqual({
      getSnapshot: 'kiosk:get-snapshot',
      send: 'kiosk:send',
      getSettings: 'kiosk:get-settings',
      updateSettings: 'kiosk:update-settings',
      listCards: 'kiosk:list-cards',
      placeCard: 'kiosk:place-card',
      removeCard: 'kiosk:remove-card',
      getAppState: 'kiosk:get-app-state',
      sendApp: 'kiosk:send-app',
      getCenter: 'kiosk:get-center',
      updateCenter: 'kiosk:update-center',
      getClass: 'kiosk:get-class',
      actOnStations: 'kiosk:act-on-stations',
      classCsv: 'kiosk:class-csv',
      snapshot: 'kiosk:snapshot',
    });
  });

  it('the audiences: the citizen calls getSnapshot and send; a trainee’s tray and phone, the trainer’s tools and the console the rest', () => {
    const byAudience = (a: Audience) => KIOSK_METHODS.filter((m) => METHODS[m].audience === a);
    expect(byAudience('kiosk')).toEqual(['getSnapshot', 'send']);
    expect(byAudience('tray')).toEqual(['listCards', 'placeCard', 'removeCard']);
    expect(byAudience('trainer')).toEqual(['getSettings', 'updateSettings', 'getCenter', 'updateCenter']);
    expect(byAudience('app')).toEqual(['getAppState', 'sendApp']);
    expect(byAudience('console')).toEqual(['getClass', 'actOnStations', 'classCsv']);
  });
});

describe('the sandboxed preload can bundle the table', () => {
  const source = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
  /** The modules a file imports at run time (type-only imports are erased). */
  const runtimeImports = (text: string) =>
    [...text.matchAll(/^(import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)].filter((m) => m[2] === undefined).map((m) => m[3]);

  it('methods.ts imports nothing', () => {
    expect(source('electron/contract/methods.ts')).not.toMatch(/^\s*(import|export)\b[^;]*\bfrom\s+'/m);
  });

  it('the preload loads only electron, the table and its own argument name at run time', () => {
    expect(runtimeImports(source('electron/preload/index.ts')).sort()).toEqual(['../contract/methods', './args', 'electron']);
  });
});

// --- Compile-time: the derived types are the ones the renderer and the hosts were written against.
// These are the hand-written interfaces the table replaced (the backends' intents and patches,
// once `unknown`, are now the checked types: an implementation may still take `unknown`);
// `tsc -p electron` fails if they differ. The renderer's fakes (test/fakes/renderer-*.ts)
// implement the derived KioskApi, TrainerApi and AppApi, and vue-tsc checks every use.

interface WrittenKioskApi {
  readonly host: 'electron' | 'browser';
  getSnapshot(): Promise<Snapshot>;
  send(intent: Intent): Promise<SendResult>;
  onSnapshot(listener: (snapshot: Snapshot) => void): () => void;
  getSettings(): Promise<SettingsView>;
  updateSettings(patch: SettingsPatch): Promise<SettingsResult>;
  readonly trainer?: WrittenTrainerApi;
  readonly app?: WrittenAppApi;
}
interface WrittenAppApi {
  getState(): Promise<AppView>;
  send(intent: AppIntent): Promise<AppResult>;
  getCenter(): Promise<CenterDeskResult>;
  updateCenter(patch: CenterDeskPatch): Promise<CenterDeskResult>;
}
interface WrittenTrainerApi {
  listCards(): Promise<VirtualCardsView>;
  placeCard(name: string): Promise<TrainerResult>;
  removeCard(): Promise<TrainerResult>;
}
interface WrittenKioskBackend {
  snapshot(): Snapshot;
  send(intent: Intent): SendResult;
  onSnapshot(listener: (s: Snapshot) => void): () => void;
  getSettings(): SettingsView;
  updateSettings(patch: SettingsPatch): SettingsResult;
}
interface WrittenTrainerBackend {
  listCards(): Promise<VirtualCardsView>;
  placeCard(name: string): Promise<TrainerResult>;
  removeCard(): Promise<TrainerResult>;
}
interface WrittenAppBackend {
  view(): AppView;
  send(intent: AppIntent): Promise<AppResult>;
  getCenter(): Promise<CenterDeskResult>;
  updateCenter(patch: CenterDeskPatch): Promise<CenterDeskResult>;
}

assertSame<Same<KioskApi, WrittenKioskApi>>();
assertSame<Same<TrainerApi, WrittenTrainerApi>>();
assertSame<Same<AppApi, WrittenAppApi>>();
assertSame<Same<KioskBackend, WrittenKioskBackend>>();
assertSame<Same<TrainerBackend, WrittenTrainerBackend>>();
assertSame<Same<AppBackend, WrittenAppBackend>>();
assertSame<Same<keyof typeof KIOSK_IPC, KioskMethod | 'snapshot'>>();
