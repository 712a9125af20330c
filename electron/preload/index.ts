/**
 * Preload: exposes `window.kiosk` (the KioskApi contract) to the renderer over IPC, and nothing
 * else — no raw ipcRenderer, no Node, no Electron object (checklist item 20). The main process
 * checks every message's sender and validates its payload (electron/main/kiosk-ipc.ts); this side
 * only forwards, because a sandboxed preload cannot load the schema library, and the core must
 * not trust its renderer anyway. The object is built from the method table (contract/methods.ts,
 * import-free so that this bundle needs nothing else): each method at its path, on its channel,
 * with exactly its number of arguments.
 *
 * `trainer` and `app` are exposed only where the main process says so (a trainer window, or the
 * simulator's card tray in development); the main process refuses their calls from any other
 * window too.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { KioskApi } from '../contract/api';
import type { Snapshot } from '../contract/kiosk';
import { KIOSK_IPC, KIOSK_METHODS, METHODS } from '../contract/methods';
import { TRAINER_API_ARG } from './args';

const top: Record<string, unknown> = {
  host: 'electron',
  onSnapshot(listener: (s: Snapshot) => void) {
    // Only the snapshot crosses into the page, never the IPC event (it carries the sender).
    const handler = (_event: IpcRendererEvent, snapshot: Snapshot) => listener(snapshot);
    ipcRenderer.on(KIOSK_IPC.snapshot, handler);
    return () => {
      ipcRenderer.removeListener(KIOSK_IPC.snapshot, handler);
    };
  },
};
/** `trainer` (the virtual cards) and `app` (the smartphone-app simulator): trainer tools. */
const parts: Record<string, Record<string, unknown>> = {};

for (const method of KIOSK_METHODS) {
  const { path, args } = METHODS[method];
  const channel = KIOSK_IPC[method];
  const forward = (...given: unknown[]) => ipcRenderer.invoke(channel, ...Array.from({ length: args.length }, (_, i) => given[i]));
  if (path.length === 1) top[path[0]] = forward;
  else (parts[path[0]] ??= {})[path[1]] = forward;
}

const kiosk = {
  ...top,
  ...(process.argv.includes(TRAINER_API_ARG) && Object.fromEntries(Object.entries(parts).map(([name, part]) => [name, Object.freeze(part)]))),
} as unknown as KioskApi;

contextBridge.exposeInMainWorld('kiosk', Object.freeze(kiosk));
