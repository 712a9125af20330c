/**
 * How the console page reaches its classroom. A window.kiosk given to the page (a test's fake, an
 * Electron preload) is used as it is. In a browser the page opens the console's socket with the
 * trainer's token, which the address carries in its fragment (`/console/#token=…`, never sent in a
 * request): the page takes it out of the address bar at once, so it is not left on screen, in a
 * screenshot or in the history, and keeps it for this tab in sessionStorage so a reload still works.
 */
import type { Pinia } from 'pinia';
import { consoleTokenIn, createWsKiosk, wsUrlForPage, type WsLinkEvent } from '@contract/ws-client';
import { isKioskApi } from '../api/kiosk';
import { useConsoleStore } from './console-store';

const TOKEN_KEY = 'kiosk-sim.console-token';

interface TokenPlaces {
  readonly location: Pick<Location, 'pathname' | 'search' | 'hash'>;
  readonly history: Pick<History, 'replaceState' | 'state'>;
  readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
}

/** The trainer's token: the one in the address (then taken out of it and kept), else the one kept. */
export function takeConsoleToken(places: TokenPlaces): string | null {
  const { location, history, storage } = places;
  const fromAddress = consoleTokenIn(location.hash);
  if (fromAddress !== null) {
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    try {
      storage?.setItem(TOKEN_KEY, fromAddress);
    } catch {
      // Storage refused (a private window's quota): the token lasts until the page is reloaded.
    }
    return fromAddress;
  }
  try {
    return storage?.getItem(TOKEN_KEY) ?? null;
  } catch {
    return null;
  }
}

/** Forgets a kept token the host refused, so the page asks for the address again. */
export function forgetConsoleToken(storage: Pick<Storage, 'removeItem'> | null): void {
  try {
    storage?.removeItem(TOKEN_KEY);
  } catch {
    // nothing kept, nothing to forget
  }
}

function sessionStore(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/**
 * Closes in a row after which a console that had its classroom stops retrying: about ten seconds of
 * the client's back-off, and fewer refusals than the host's failed-join burst, so a host restarted
 * with a new token does not end up refusing this machine's station pages too.
 */
export const LOST_AFTER_CLOSES = 10;

/**
 * What the console makes of its socket's news, given how many times in a row it has closed:
 * refused before it ever opened is a wrong token; closed too often in a row after working, lost.
 */
export function judgeLink(closesInARow: number, e: WsLinkEvent): { readonly closesInARow: number; readonly stop: 'wrong-token' | 'lost' | null } {
  if (e.state === 'open') return { closesInARow: 0, stop: null };
  if (!e.everOpened) return { closesInARow: closesInARow + 1, stop: 'wrong-token' };
  const n = closesInARow + 1;
  return { closesInARow: n, stop: n >= LOST_AFTER_CLOSES ? 'lost' : null };
}

/** Connects the console page's store to its classroom. */
export function openConsole(pinia: Pinia): void {
  const store = useConsoleStore(pinia);
  // Out of the address bar whatever carries the calls.
  const storage = sessionStore();
  const token = takeConsoleToken({ location: window.location, history: window.history, storage });
  if (isKioskApi(window.kiosk)) {
    store.connect(window.kiosk.console ?? null);
    return;
  }
  // Without a token the host would only refuse (and count a failed attempt): do not ask.
  if (token === null) return store.refuse('token-needed');
  let closes = 0;
  const client = createWsKiosk({
    url: wsUrlForPage(window.location, token),
    onLink: (e) => {
      const verdict = judgeLink(closes, e);
      closes = verdict.closesInARow;
      if (verdict.stop === null) return;
      client.close();
      // Refused at the upgrade, while the page itself came from this host: a wrong token.
      if (verdict.stop === 'wrong-token') forgetConsoleToken(storage);
      store.refuse(verdict.stop);
    },
  });
  store.connect(client.console ?? null);
}
