/**
 * Preload: exposes `window.kiosk` to the renderer over IPC, and nothing else (no raw ipcRenderer).
 * The typed contract arrives with the kiosk core.
 */
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('kiosk', Object.freeze({ host: 'electron' as const }));
