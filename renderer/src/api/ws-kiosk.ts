/** window.kiosk for the browser host: the contract's WebSocket client on this page's own origin. */
import { createWsKiosk, wsUrlForPage } from '@contract/ws-client';
import type { KioskApi } from '@contract/api';

export function createBrowserKiosk(): KioskApi & { close(): void } {
  return createWsKiosk({ url: wsUrlForPage(window.location) });
}
