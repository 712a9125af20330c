/**
 * The window.kiosk methods, each declared once. Everything else is derived from this table: the
 * IPC channel names (here), the types KioskApi / TrainerApi / AppApi and the backends' shapes
 * (api.ts, backends.ts), the WebSocket call messages and the result checks (wire.ts), the
 * argument and audience checks and the one dispatcher both transports use (backends.ts,
 * electron/main/kiosk-ipc.ts, electron/host/kiosk-ws.ts), the preload's window.kiosk and the
 * WebSocket client's (electron/preload/index.ts, ws-client.ts).
 *
 * No imports on purpose: the sandboxed preload bundles this file and nothing else from the
 * contract (a sandboxed preload cannot load node_modules such as typebox; the main process
 * validates every message instead). Schemas are therefore named here by key; api.ts maps each key
 * to its TypeBox schema and fails to compile if one is missing.
 *
 * Adding a method: one entry here, the backend function it names on its facility's backend, and
 * their tests (test/unit/contract-methods.test.ts runs every entry through both transports).
 */

/**
 * Who may call a method: the citizen's screen (`kiosk`), the card tray beside it (`tray`: the
 * virtual cards a trainee was given), the trainer's tools (`trainer`: the settings panel and the
 * center's clock), the smartphone app page (`app`), a classroom's trainer console (`console`).
 * Electron gives `tray`, `trainer` and `app` only to the windows that have the trainer API
 * (electron/main/window.ts trainerApiIn); a classroom's station page gets `kiosk`, `tray` and
 * `app`, its console page `console` (electron/classroom/host.ts).
 */
export type Audience = 'kiosk' | 'tray' | 'trainer' | 'app' | 'console';

/**
 * What carries a method out on the host: the kiosk core (always there), the simulator's virtual
 * cards (`trainer`), the smartphone-app simulator with the center desk (`app`). A host without a
 * facility answers its methods UNSUPPORTED.
 */
export type Facility = 'core' | 'trainer' | 'app' | 'console';

/** One method of the table. */
export interface MethodSpec {
  readonly audience: Audience;
  /** Where the method sits on window.kiosk: `['send']` is `kiosk.send`, `['app', 'send']` is `kiosk.app.send`. */
  readonly path: readonly [string] | readonly ['trainer' | 'app' | 'console', string];
  /** The arguments in order: the name each has in a WebSocket call message, and its schema's key. */
  readonly args: readonly (readonly [name: string, schema: string])[];
  /** The result's schema key. */
  readonly result: string;
  /** The facility that carries it out, and the name of its function on that facility's backend. */
  readonly facility: Facility;
  readonly backend: string;
  /** Whether that function answers with a promise (it waits on a card or the center) or at once. */
  readonly async: boolean;
}

export const METHODS = {
  /** The current snapshot (also pushed, see KIOSK_IPC.snapshot). */
  getSnapshot: { audience: 'kiosk', path: ['getSnapshot'], args: [], result: 'Snapshot', facility: 'core', backend: 'snapshot', async: false },
  /** Sends one intent; the answer says whether the core took it. The new state arrives as a snapshot. */
  send: { audience: 'kiosk', path: ['send'], args: [['intent', 'Intent']], result: 'SendResult', facility: 'core', backend: 'send', async: false },
  /** The kiosk's settings. */
  getSettings: { audience: 'trainer', path: ['getSettings'], args: [], result: 'SettingsView', facility: 'core', backend: 'getSettings', async: false },
  /** Changes settings; each takes effect as SETTING_EFFECTS says (at once, or from the next session…). */
  updateSettings: {
    audience: 'trainer',
    path: ['updateSettings'],
    args: [['patch', 'SettingsPatch']],
    result: 'SettingsResult',
    facility: 'core',
    backend: 'updateSettings',
    async: false,
  },
  /** The virtual cards. */
  listCards: { audience: 'tray', path: ['trainer', 'listCards'], args: [], result: 'VirtualCardsView', facility: 'trainer', backend: 'listCards', async: true },
  /** Places the named virtual card on the kiosk's reader (taking off any other first). */
  placeCard: {
    audience: 'tray',
    path: ['trainer', 'placeCard'],
    args: [['name', 'CardName']],
    result: 'TrainerResult',
    facility: 'trainer',
    backend: 'placeCard',
    async: true,
  },
  /** Takes the virtual card off the reader. */
  removeCard: { audience: 'tray', path: ['trainer', 'removeCard'], args: [], result: 'TrainerResult', facility: 'trainer', backend: 'removeCard', async: true },
  /** The phone's booking session as it stands. */
  getAppState: { audience: 'app', path: ['app', 'getState'], args: [], result: 'AppView', facility: 'app', backend: 'view', async: false },
  /** One step of the app; the answer is the state after it (the card and center have answered). */
  sendApp: { audience: 'app', path: ['app', 'send'], args: [['intent', 'AppIntent']], result: 'AppResult', facility: 'app', backend: 'send', async: true },
  /** The reservation center's clock and maintenance windows. */
  getCenter: { audience: 'trainer', path: ['app', 'getCenter'], args: [], result: 'CenterDeskResult', facility: 'app', backend: 'getCenter', async: true },
  updateCenter: {
    audience: 'trainer',
    path: ['app', 'updateCenter'],
    args: [['patch', 'CenterDeskPatch']],
    result: 'CenterDeskResult',
    facility: 'app',
    backend: 'updateCenter',
    async: true,
  },
  /** A classroom: every station, the scenarios on offer. */
  getClass: { audience: 'console', path: ['console', 'getClass'], args: [], result: 'ClassView', facility: 'console', backend: 'view', async: false },
  /** Does one thing to each selected station; the answer is the class after it. */
  actOnStations: {
    audience: 'console',
    path: ['console', 'act'],
    args: [
      ['stations', 'ConsoleSelection'],
      ['action', 'ConsoleAction'],
    ],
    result: 'ConsoleResult',
    facility: 'console',
    backend: 'act',
    async: true,
  },
  /** The class summary (one row per station: scenario, outcome, time, wrong tries, help taps) as CSV. */
  classCsv: { audience: 'console', path: ['console', 'summaryCsv'], args: [], result: 'ClassCsv', facility: 'console', backend: 'summaryCsv', async: false },
} as const satisfies Readonly<Record<string, MethodSpec>>;

export type MethodTable = typeof METHODS;
/** The methods callable over a transport (everything but onSnapshot, which is a push). */
export type KioskMethod = keyof MethodTable;
export const KIOSK_METHODS = Object.keys(METHODS) as KioskMethod[];

/** `getAppState` → `get-app-state`. */
type Kebab<S extends string> = S extends `${infer H}${infer T}` ? `${H extends Lowercase<H> ? H : `-${Lowercase<H>}`}${Kebab<T>}` : S;

/** A method's Electron IPC channel (preload ↔ main): `kiosk:` + the method's name in kebab case. */
export function ipcChannel<M extends KioskMethod>(method: M): `kiosk:${Kebab<M>}` {
  return `kiosk:${method.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` as `kiosk:${Kebab<M>}`;
}

/** Electron IPC channel names: one per method, and `snapshot` for the main → renderer push. */
export const KIOSK_IPC = Object.freeze({
  ...(Object.fromEntries(KIOSK_METHODS.map((m) => [m, ipcChannel(m)])) as { readonly [M in KioskMethod]: `kiosk:${Kebab<M>}` }),
  snapshot: 'kiosk:snapshot',
} as const);
