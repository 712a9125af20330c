/**
 * The client side of the WebSocket transport: a KioskApi over a WebSocket to the Node core (the
 * browser host's window.kiosk is this, on the page's own origin — renderer/src/api/). Every message from the server is checked against the contract before the
 * renderer sees it. The socket reconnects on its own (the host may restart); while it is down,
 * calls wait for it, and snapshots resume with the current one on reconnect. The object is built
 * from the method table (methods.ts): each method at its path, sent as its call message
 * (wire.ts), its reply checked against its result schema.
 *
 * Lives next to the contract (both TS projects include electron/contract) and touches no DOM-only
 * type, so the same file runs in the renderer and in the unit tests under Node with `ws`.
 */
import { METHOD_RESULT_SCHEMAS, type KioskApi } from './api';
import type { Snapshot } from './kiosk';
import { KIOSK_METHODS, METHODS, type KioskMethod } from './methods';
import { check } from './schema';
import { callMessage, checkServerMessage, KIOSK_WS_PATH, type WireErrorCode } from './wire';

export class KioskTransportError extends Error {
  constructor(
    /** A code the server answered with, or one of the client's own. */
    readonly code: WireErrorCode | 'INVALID_REPLY' | 'CLOSED',
    message: string,
  ) {
    super(message);
    this.name = 'KioskTransportError';
  }
}

interface Pending {
  readonly method: KioskMethod;
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/** What the socket did: opened, or closed (`everOpened`: whether this client's socket ever opened). */
export type WsLinkEvent = { readonly state: 'open' } | { readonly state: 'closed'; readonly everOpened: boolean };

export interface WsKioskOptions {
  /** ws://host/kiosk; by default the one for the page's own address (wsUrlForPage). */
  readonly url?: string;
  /** Factory, for tests. */
  readonly WebSocket?: typeof WebSocket;
  /**
   * Told when the socket opens and closes. A socket the host refuses at the upgrade (a wrong
   * trainer's token) closes without ever opening; a page can then stop the client rather than
   * retry a refused secret forever.
   */
  readonly onLink?: (event: WsLinkEvent) => void;
}

/** The parts of a page's address the socket's address depends on (a `location`). */
export interface PageLocation {
  readonly protocol: string;
  readonly host: string;
  readonly pathname?: string;
  readonly search?: string;
  readonly hash?: string;
}

/** `/s/<n>/…`: station n's page on a classroom host. */
const STATION_PAGE = /^\/s\/(\d{1,2})(?:\/|$)/;

/** Whether the address is a classroom's console page (`/console/…`). */
export function isConsolePath(pathname: string): boolean {
  return pathname === '/console' || pathname.startsWith('/console/');
}

/** The trainer's token in a console address's fragment (`#token=…`), or null. */
export function consoleTokenIn(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token === null || token === '' ? null : token;
}

/**
 * The socket of the page at `loc` (classroom/access.ts is the host's side of this):
 *  - station n's page `/s/<n>/…` → `/s/<n>/ws`, with the page's join code (`?code=`) if it has one;
 *  - the console `/console/…` → `/console/ws?t=<token>`: the token given (the page keeps it once
 *    it has left the address bar), else the one in the fragment; none: no `t`, and the host refuses;
 *  - any other page (a lone kiosk) → the browser host's KIOSK_WS_PATH.
 */
export function wsUrlForPage(loc: PageLocation, consoleToken: string | null = null): string {
  const origin = `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}`;
  const path = loc.pathname ?? '/';
  const station = STATION_PAGE.exec(path);
  if (station !== null) {
    const code = new URLSearchParams(loc.search ?? '').get('code');
    return `${origin}/s/${station[1] as string}/ws${code === null || code === '' ? '' : `?code=${encodeURIComponent(code)}`}`;
  }
  if (isConsolePath(path)) {
    const token = consoleToken ?? consoleTokenIn(loc.hash ?? '');
    return `${origin}/console/ws${token === null ? '' : `?t=${encodeURIComponent(token)}`}`;
  }
  return `${origin}${KIOSK_WS_PATH}`;
}

export function createWsKiosk(opts: WsKioskOptions = {}): KioskApi & { close(): void } {
  const page = (globalThis as { location?: PageLocation }).location;
  let url = opts.url;
  if (url === undefined) {
    if (page === undefined) throw new KioskTransportError('CLOSED', 'no page location: pass a url');
    url = wsUrlForPage(page);
  }
  const target = url;
  const WS = opts.WebSocket ?? WebSocket;
  const listeners = new Set<(s: Snapshot) => void>();
  const pending = new Map<number, Pending>();
  const queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket | null = null;
  let latest: Snapshot | null = null;
  let closed = false;
  let retryMs = 100;
  let everOpened = false;

  function connect(): void {
    if (closed) return;
    const ws = new WS(target);
    socket = ws;
    ws.onopen = () => {
      retryMs = 100;
      everOpened = true;
      for (const frame of queue.splice(0)) ws.send(frame);
      opts.onLink?.({ state: 'open' });
    };
    ws.onmessage = (ev: { data: unknown }) => onMessage(typeof ev.data === 'string' ? ev.data : '');
    ws.onclose = () => {
      socket = null;
      // A restarted host counts its snapshots from zero again: accept whatever comes next.
      latest = null;
      if (closed) return;
      // Calls sent on the dead socket will not be answered: fail them so the UI can retry.
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(new KioskTransportError('CLOSED', 'connection to the kiosk core lost'));
      }
      opts.onLink?.({ state: 'closed', everOpened });
      if (closed) return; // the listener stopped the client
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 2000);
    };
  }

  function onMessage(text: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return;
    }
    const checked = checkServerMessage(raw);
    if (!checked.ok) return; // a message outside the contract is dropped, never shown
    const msg = checked.value;
    if (msg.type === 'snapshot') {
      if (latest !== null && msg.snapshot.seq < latest.seq) return;
      latest = msg.snapshot;
      for (const l of listeners) l(msg.snapshot);
      return;
    }
    if (msg.id === null) return;
    const p = pending.get(msg.id);
    if (p === undefined) return;
    pending.delete(msg.id);
    if (!msg.ok) return p.reject(new KioskTransportError(msg.error.code, msg.error.message));
    const result = check(METHOD_RESULT_SCHEMAS[p.method], msg.value);
    if (!result.ok) return p.reject(new KioskTransportError('INVALID_REPLY', `reply to ${p.method} does not fit the contract`));
    p.resolve(result.value);
  }

  function call(method: KioskMethod, args: readonly unknown[]): Promise<unknown> {
    const id = nextId++;
    const frame = JSON.stringify(callMessage(id, method, args));
    return new Promise<unknown>((resolve, reject) => {
      if (closed) return reject(new KioskTransportError('CLOSED', 'kiosk connection closed'));
      pending.set(id, { method, resolve, reject });
      if (socket !== null && socket.readyState === WS.OPEN) socket.send(frame);
      else queue.push(frame);
    });
  }

  // Each method at its path. `trainer`, `app` and `console` are always there: the server answers
  // UNSUPPORTED where the host has no virtual cards, no app simulator or no classroom, and
  // NOT_ALLOWED to a page whose audience they are not. Intents are never logged here.
  const top: Record<string, unknown> = {};
  const parts: Record<string, Record<string, unknown>> = {};
  for (const method of KIOSK_METHODS) {
    const { path, args } = METHODS[method];
    const forward = (...given: unknown[]) => call(method, Array.from({ length: args.length }, (_, i) => given[i]));
    if (path.length === 1) top[path[0]] = forward;
    else (parts[path[0]] ??= {})[path[1]] = forward;
  }

  connect();

  return {
    ...(top as Omit<KioskApi, 'host' | 'onSnapshot' | 'trainer' | 'app' | 'console'>),
    ...(parts as Required<Pick<KioskApi, 'trainer' | 'app' | 'console'>>),
    host: 'browser',
    onSnapshot(listener: (s: Snapshot) => void) {
      listeners.add(listener);
      if (latest !== null) listener(latest);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      socket?.close();
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(new KioskTransportError('CLOSED', 'kiosk connection closed'));
      }
    },
  };
}
