/**
 * Preload: exposes `window.kiosk` (the KioskApi contract) to the renderer over IPC, and nothing
 * else — no raw ipcRenderer, no Node, no Electron object (checklist item 20). The main process
 * checks every message's sender and validates its payload (electron/main/kiosk-ipc.ts); this side
 * only forwards, because a sandboxed preload cannot load the schema library, and the core must
 * not trust its renderer anyway.
 *
 * `trainer` is exposed only where the main process says so (a trainer window, or the simulator's
 * card tray in development); the main process refuses trainer calls from any other window too.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AppApi, KioskApi, TrainerApi } from '../contract/api';
import type { AppIntent, AppResult, AppView } from '../contract/app';
import type { Intent, SendResult, Snapshot } from '../contract/kiosk';
import type { CenterDeskPatch, CenterDeskResult, SettingsPatch, SettingsResult, SettingsView, TrainerResult, VirtualCardsView } from '../contract/trainer';
import { KIOSK_IPC } from '../contract/ipc-channels';
import { TRAINER_API_ARG } from './args';

const trainer: TrainerApi = Object.freeze({
  listCards: () => ipcRenderer.invoke(KIOSK_IPC.listCards) as Promise<VirtualCardsView>,
  placeCard: (name: string) => ipcRenderer.invoke(KIOSK_IPC.placeCard, name) as Promise<TrainerResult>,
  removeCard: () => ipcRenderer.invoke(KIOSK_IPC.removeCard) as Promise<TrainerResult>,
});

/** The smartphone-app simulator: a trainer tool, exposed with `trainer` and nowhere else. */
const app: AppApi = Object.freeze({
  getState: () => ipcRenderer.invoke(KIOSK_IPC.getAppState) as Promise<AppView>,
  send: (intent: AppIntent) => ipcRenderer.invoke(KIOSK_IPC.sendApp, intent) as Promise<AppResult>,
  getCenter: () => ipcRenderer.invoke(KIOSK_IPC.getCenter) as Promise<CenterDeskResult>,
  updateCenter: (patch: CenterDeskPatch) => ipcRenderer.invoke(KIOSK_IPC.updateCenter, patch) as Promise<CenterDeskResult>,
});

const kiosk: KioskApi = {
  host: 'electron',
  getSnapshot: () => ipcRenderer.invoke(KIOSK_IPC.getSnapshot) as Promise<Snapshot>,
  send: (intent: Intent) => ipcRenderer.invoke(KIOSK_IPC.send, intent) as Promise<SendResult>,
  onSnapshot(listener: (s: Snapshot) => void) {
    // Only the snapshot crosses into the page, never the IPC event (it carries the sender).
    const handler = (_event: IpcRendererEvent, snapshot: Snapshot) => listener(snapshot);
    ipcRenderer.on(KIOSK_IPC.snapshot, handler);
    return () => {
      ipcRenderer.removeListener(KIOSK_IPC.snapshot, handler);
    };
  },
  getSettings: () => ipcRenderer.invoke(KIOSK_IPC.getSettings) as Promise<SettingsView>,
  updateSettings: (patch: SettingsPatch) => ipcRenderer.invoke(KIOSK_IPC.updateSettings, patch) as Promise<SettingsResult>,
  ...(process.argv.includes(TRAINER_API_ARG) && { trainer, app }),
};

contextBridge.exposeInMainWorld('kiosk', Object.freeze(kiosk));
