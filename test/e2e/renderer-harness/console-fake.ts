/**
 * The fake classroom the console harness runs against, set as window.kiosk before the renderer's own
 * entry (main.ts) starts: a page at /console/ finds window.kiosk.console (four stations), a page at
 * /s/<n>/ the kiosk's snapshots (`kioskFake.show`). `?refuse=NOT_ALLOWED` makes every console call
 * answer as a page without the console's audience. Test-only.
 */
import type { KioskApi } from '../../../electron/contract/api';
import { FakeConsoleKiosk, type FakeConsoleApi } from '../../fakes/renderer-console';

const api = new FakeConsoleKiosk();
const refuse = new URLSearchParams(location.search).get('refuse');
if (refuse === 'NOT_ALLOWED' || refuse === 'UNSUPPORTED') api.console.refuse = refuse;
// The host's clock runs with this machine's, so elapsed times tick as they would.
const start = Date.now();
api.console.clock = () => api.console.view.now + (Date.now() - start);

const w = window as unknown as { kiosk: KioskApi; kioskFake: FakeConsoleKiosk; consoleFake: FakeConsoleApi };
w.kiosk = api;
w.kioskFake = api;
w.consoleFake = api.console;
