/**
 * The renderer's one way to the core: `window.kiosk` when the Electron preload provides it,
 * otherwise the browser host's WebSocket implementation of the same contract.
 */
import type { KioskApi } from '@contract/api';
import { createBrowserKiosk } from './ws-kiosk';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge). Absent in a plain browser. */
    kiosk?: KioskApi;
  }
}

let api: KioskApi | null = null;

/** Whether `v` is a window.kiosk (the Electron preload's, or a test's fake). */
export function isKioskApi(v: unknown): v is KioskApi {
  const o = v as Partial<KioskApi> | undefined;
  return typeof o?.getSnapshot === 'function' && typeof o.send === 'function' && typeof o.onSnapshot === 'function';
}

/** The KioskApi for this page (created once). */
export function useKioskApi(): KioskApi {
  if (api === null) api = isKioskApi(window.kiosk) ? window.kiosk : createBrowserKiosk();
  return api;
}

/** For tests: use this implementation instead (e.g. a fake). */
export function setKioskApi(impl: KioskApi | null): void {
  api = impl;
}
