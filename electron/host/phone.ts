/**
 * Where the simulated smartphone lives, without loading it: which vpcd slot is the phone's reader
 * (the one the kiosk does not read), and the app simulator behind a wrapper that loads it on
 * first use. Both hosts (the browser host and the Electron shell) start the kiosk first and the
 * trainer's tools after, so the citizen's screen never waits for them. Imports nothing heavy.
 */
import type { AppIntent, AppResult, AppView } from '../contract/app';
import type { CenterDeskPatch, CenterDeskResult } from '../contract/trainer';
import type { AppBackend } from '../contract/backends';

/** The vpcd slot of a kiosk reader name ("Virtual PCD 00 01" → 1; anything else reads slot 0). */
export function kioskSlotOf(readerName: string): 0 | 1 {
  return /^=?Virtual PCD 00 01$/.test(readerName) ? 1 : 0;
}

/** The phone uses the virtual slot the kiosk does not. */
export function phoneSlotFor(kioskReaderName: string): 0 | 1 {
  return kioskSlotOf(kioskReaderName) === 1 ? 0 : 1;
}

/** The phone's reader name, as vpcd names its readers (native/vpcd/transport.ts virtualReaderName). */
export function phoneReaderFor(kioskReaderName: string): string {
  return `Virtual PCD 00 0${phoneSlotFor(kioskReaderName)}`;
}

export interface LoadableApp extends AppBackend {
  close(): Promise<void>;
}

export interface LazyApp extends AppBackend {
  /** Loads the simulator now (once); resolves when it is ready. */
  load(): Promise<LoadableApp>;
  /** Closes it if it was loaded (takes a card left on the phone off). */
  close(): Promise<void>;
}

/** An AppBackend that loads the simulator at the first call (or `load()`); idle until then. */
export function lazyApp(load: () => Promise<LoadableApp>, phoneReader: string): LazyApp {
  let loaded: LoadableApp | undefined;
  let loading: Promise<LoadableApp> | undefined;
  const sim = () =>
    (loading ??= load().then((s) => {
      loaded = s;
      return s;
    }));
  return {
    load: sim,
    view: (): AppView => loaded?.view() ?? { state: { step: 'idle' }, busy: false, reader: phoneReader },
    send: async (intent: AppIntent): Promise<AppResult> => (await sim()).send(intent),
    getCenter: async (): Promise<CenterDeskResult> => (await sim()).getCenter(),
    updateCenter: async (patch: CenterDeskPatch): Promise<CenterDeskResult> => (await sim()).updateCenter(patch),
    async close() {
      const s = loading === undefined ? undefined : await loading.catch(() => undefined);
      await s?.close();
    },
  };
}
