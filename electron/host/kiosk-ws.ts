/**
 * The browser host's transport: the window.kiosk contract over a WebSocket on the same origin as
 * the served renderer. Every frame is size-limited, parsed and checked against the contract before
 * the core sees it; connections from any other origin (another site open in the same browser) are
 * refused at the upgrade. Intents are never logged: a frame may carry a password.
 */
import type http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  checkClientMessage,
  decodeFrame,
  KIOSK_WS_PATH,
  MAX_MESSAGE_BYTES,
  type AppResult,
  type AppView,
  type CenterDeskResult,
  type ClientMessage,
  type ServerMessage,
  type SettingsResult,
  type SettingsView,
  type SendResult,
  type Snapshot,
  type TrainerResult,
  type VirtualCardsView,
} from '../contract/kiosk-api';

/** What the transport needs from the core (KioskCore implements it). */
export interface KioskBackend {
  snapshot(): Snapshot;
  send(intent: unknown): SendResult;
  onSnapshot(listener: (s: Snapshot) => void): () => void;
  getSettings(): SettingsView;
  updateSettings(patch: unknown): SettingsResult;
}

/** The simulator's virtual cards, where the host has them (the browser host does). */
export interface TrainerBackend {
  listCards(): Promise<VirtualCardsView>;
  placeCard(name: string): Promise<TrainerResult>;
  removeCard(): Promise<TrainerResult>;
}

/**
 * The smartphone-app simulator and the center's clock, where the host has them (AppSimulator,
 * electron/host/app-simulator.ts). It validates what it is sent again, as the core does.
 */
export interface AppBackend {
  view(): AppView;
  send(intent: unknown): Promise<AppResult>;
  getCenter(): Promise<CenterDeskResult>;
  updateCenter(patch: unknown): Promise<CenterDeskResult>;
}

export interface KioskWsOptions {
  /** Origins allowed to connect, e.g. ["http://127.0.0.1:5177"]: the one the renderer is served from. */
  readonly allowedOrigins: readonly string[];
  readonly trainer?: TrainerBackend;
  readonly app?: AppBackend;
}

export interface KioskWs {
  readonly wss: WebSocketServer;
  close(): Promise<void>;
}

/** Attaches the kiosk WebSocket endpoint (KIOSK_WS_PATH) to an HTTP server. */
export function attachKioskWebSocket(server: http.Server, backend: KioskBackend, opts: KioskWsOptions): KioskWs {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = req.headers.origin;
    if (url.pathname !== KIOSK_WS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    // A browser always sends Origin on a WebSocket upgrade; a page from elsewhere must not drive the kiosk.
    if (origin === undefined || !opts.allowedOrigins.includes(origin)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const push = (snapshot: Snapshot) => send(ws, { type: 'snapshot', snapshot });
    const unsubscribe = backend.onSnapshot(push);
    push(backend.snapshot());
    ws.on('message', (data, isBinary) => {
      if (isBinary) return reply(ws, { type: 'reply', id: null, ok: false, error: { code: 'INVALID_MESSAGE', message: 'text frames only' } });
      const frame = decodeFrame(data.toString());
      if (!frame.ok) return reply(ws, { type: 'reply', id: null, ok: false, error: { code: 'INVALID_MESSAGE', message: 'not JSON' } });
      const msg = checkClientMessage(frame.value);
      if (!msg.ok) {
        // The problem list names paths and keywords only, never values.
        const id = idOf(frame.value);
        const what = msg.problems.map((p) => `${p.path || '/'} ${p.keyword}`).join('; ');
        return reply(ws, { type: 'reply', id, ok: false, error: { code: 'INVALID_MESSAGE', message: what.slice(0, 500) } });
      }
      void handle(ws, backend, opts, msg.value);
    });
    ws.on('close', unsubscribe);
    ws.on('error', unsubscribe);
  });

  return {
    wss,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

async function handle(ws: WebSocket, backend: KioskBackend, opts: KioskWsOptions, msg: ClientMessage): Promise<void> {
  const { trainer, app } = opts;
  try {
    let value: unknown;
    switch (msg.method) {
      case 'getSnapshot':
        value = backend.snapshot();
        break;
      case 'send':
        value = backend.send(msg.intent);
        break;
      case 'getSettings':
        value = backend.getSettings();
        break;
      case 'updateSettings':
        value = backend.updateSettings(msg.patch);
        break;
      case 'listCards':
      case 'placeCard':
      case 'removeCard':
        if (trainer === undefined) {
          return reply(ws, { type: 'reply', id: msg.id, ok: false, error: { code: 'UNSUPPORTED', message: 'this host has no virtual cards' } });
        }
        value = msg.method === 'listCards' ? await trainer.listCards() : msg.method === 'placeCard' ? await trainer.placeCard(msg.name) : await trainer.removeCard();
        break;
      case 'getAppState':
      case 'sendApp':
      case 'getCenter':
      case 'updateCenter':
        if (app === undefined) {
          return reply(ws, { type: 'reply', id: msg.id, ok: false, error: { code: 'UNSUPPORTED', message: 'this host has no app simulator' } });
        }
        value =
          msg.method === 'getAppState'
            ? app.view()
            : msg.method === 'sendApp'
              ? await app.send(msg.intent)
              : msg.method === 'getCenter'
                ? await app.getCenter()
                : await app.updateCenter(msg.patch);
        break;
    }
    reply(ws, { type: 'reply', id: msg.id, ok: true, value });
  } catch (err) {
    const code = (err as { code?: unknown }).code === 'INVALID_MESSAGE' ? 'INVALID_MESSAGE' : 'INTERNAL';
    // Only the error's class of problem goes back, not its message (it could quote input).
    reply(ws, { type: 'reply', id: msg.id, ok: false, error: { code, message: code === 'INVALID_MESSAGE' ? 'invalid message' : 'internal error' } });
  }
}

function idOf(v: unknown): number | null {
  const id = (v as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}

function reply(ws: WebSocket, msg: ServerMessage): void {
  send(ws, msg);
}

function send(ws: WebSocket, msg: ServerMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
}
