/**
 * The client side of the WebSocket transport: a KioskApi over a WebSocket to the Node core (the
 * browser host's window.kiosk is this, on the page's own origin — renderer/src/api/). Every message from the server is checked against the contract before the
 * renderer sees it. The socket reconnects on its own (the host may restart); while it is down,
 * calls wait for it, and snapshots resume with the current one on reconnect.
 *
 * Lives next to the contract (both TS projects include electron/contract) and touches no DOM-only
 * type, so the same file runs in the renderer and in the unit tests under Node with `ws`.
 */
import { METHOD_RESULT_SCHEMAS, type KioskApi, type KioskMethod } from './api';
import type { AppIntent, AppResult, AppView } from './app';
import type { Intent, SendResult, Snapshot } from './kiosk';
import { check } from './schema';
import type { CenterDeskPatch, CenterDeskResult, SettingsPatch, SettingsResult, SettingsView, TrainerResult, VirtualCardsView } from './trainer';
import { checkServerMessage, KIOSK_WS_PATH, type ClientMessage, type WireErrorCode } from './wire';

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

type Call = ClientMessage extends infer M ? (M extends { id: number } ? Omit<M, 'id' | 'type'> : never) : never;

export interface WsKioskOptions {
  /** ws://host/kiosk; by default the page's own origin. */
  readonly url?: string;
  /** Factory, for tests. */
  readonly WebSocket?: typeof WebSocket;
}

export function wsUrlForPage(loc: { readonly protocol: string; readonly host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${KIOSK_WS_PATH}`;
}

export function createWsKiosk(opts: WsKioskOptions = {}): KioskApi & { close(): void } {
  const page = (globalThis as { location?: { protocol: string; host: string } }).location;
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

  function connect(): void {
    if (closed) return;
    const ws = new WS(target);
    socket = ws;
    ws.onopen = () => {
      retryMs = 100;
      for (const frame of queue.splice(0)) ws.send(frame);
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

  function call<T>(c: Call): Promise<T> {
    const id = nextId++;
    const frame = JSON.stringify({ type: 'call', id, ...c });
    return new Promise<T>((resolve, reject) => {
      if (closed) return reject(new KioskTransportError('CLOSED', 'kiosk connection closed'));
      pending.set(id, { method: c.method, resolve: resolve as (v: unknown) => void, reject });
      if (socket !== null && socket.readyState === WS.OPEN) socket.send(frame);
      else queue.push(frame);
    });
  }

  connect();

  return {
    host: 'browser',
    getSnapshot: () => call<Snapshot>({ method: 'getSnapshot' }),
    send: (intent: Intent) => call<SendResult>({ method: 'send', intent }),
    onSnapshot(listener) {
      listeners.add(listener);
      if (latest !== null) listener(latest);
      return () => listeners.delete(listener);
    },
    getSettings: () => call<SettingsView>({ method: 'getSettings' }),
    updateSettings: (patch: SettingsPatch) => call<SettingsResult>({ method: 'updateSettings', patch }),
    // The server answers UNSUPPORTED where the host has no virtual cards.
    trainer: {
      listCards: () => call<VirtualCardsView>({ method: 'listCards' }),
      placeCard: (name: string) => call<TrainerResult>({ method: 'placeCard', name }),
      removeCard: () => call<TrainerResult>({ method: 'removeCard' }),
    },
    // Likewise UNSUPPORTED where the host has no app simulator. Intents are never logged here.
    app: {
      getState: () => call<AppView>({ method: 'getAppState' }),
      send: (intent: AppIntent) => call<AppResult>({ method: 'sendApp', intent }),
      getCenter: () => call<CenterDeskResult>({ method: 'getCenter' }),
      updateCenter: (patch: CenterDeskPatch) => call<CenterDeskResult>({ method: 'updateCenter', patch }),
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
