/**
 * Electron IPC channel names of the window.kiosk contract. No imports on purpose: the sandboxed
 * preload bundles this file and nothing else from the contract (a sandboxed preload cannot load
 * node_modules such as typebox; the main process validates every message instead).
 */
export const KIOSK_IPC = {
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
  /** main → renderer push. */
  snapshot: 'kiosk:snapshot',
} as const;
