/**
 * The browser host's transport: the window.kiosk contract over a WebSocket on the same origin as
 * the served renderer. Every frame is size-limited, parsed and checked against the contract before
 * the core sees it; connections from any other origin (another site open in the same browser) are
 * refused at the upgrade. Intents are never logged: a frame may carry a password.
 *
 * No client can take the host down or crowd out the others: a malformed upgrade gets its 4xx, a
 * fault in one call is answered INTERNAL and logged, a fault in a connection closes that one
 * connection (1011), and each connection has a message limit, a cap on calls still running and a
 * cap on what waits to be sent to it.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { audienceAllows, dispatch, type AppBackend, type ConsoleBackend, type KioskBackend, type TrainerBackend } from '../contract/backends';
import type { Snapshot } from '../contract/kiosk';
import { METHODS, type Audience } from '../contract/methods';
import {
  callArguments,
  checkClientMessage,
  decodeFrame,
  KIOSK_WS_PATH,
  MAX_MESSAGE_BYTES,
  UNSUPPORTED_MESSAGES,
  type ClientMessage,
  type ServerMessage,
  type WireErrorCode,
} from '../contract/wire';
import { describeFault, stderrLog, type HostLog } from './faults';
import { bareAnswer, dropOnError } from './http-guard';
import { messageGate, type RateLimit } from './rate-limit';
import { targetPath } from './request-target';

/**
 * Messages one connection may send (every frame counts, well-formed or not): a burst of 40, then
 * 20 a second. A citizen sends one intent per touch (a keypad key is one `input-activity`, never
 * more), and nobody taps more than about 10 times a second; the longest run with no waiting for
 * the kiosk in between (menus, a 4-digit PIN, a 16-character password twice, each with 確定) is
 * 39 messages. Scripted touches (the end-to-end tests and bench) wait for each screen between
 * their runs of keys. Over the limit a message is refused with RATE_LIMITED and never reaches the
 * core, so a flood cannot grow the session record; a connection sending over twice the rate is
 * closed (1008) once its refusals use up a further bucketful (rate-limit.ts, `patience`).
 */
export const KIOSK_MESSAGE_LIMIT: RateLimit = { burst: 40, perSecond: 20 };

/**
 * Calls one connection may have running at once. Only the virtual-card and app-simulator calls
 * take time (a card placed through pcscd, the center asked); the renderer awaits each before the
 * next, and the card desk runs them one after another, so more would only pile up in its queue.
 */
export const MAX_CALLS_IN_FLIGHT = 4;

/**
 * Connections taken at once. The kiosk screen, a phone page and a few trainer tabs need a handful;
 * the cap keeps a client from multiplying its message limit by opening more sockets.
 */
export const MAX_CONNECTIONS = 32;

/**
 * Bytes queued for one client before it is taken as not reading and dropped. Snapshots (~1 KiB)
 * are pushed every second while a countdown runs: 1 MiB is many minutes of a stalled page.
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

export interface KioskWsOptions {
  /** Origins allowed to connect, e.g. ["http://127.0.0.1:5177"]: the one the renderer is served from. */
  readonly allowedOrigins: readonly string[];
  readonly trainer?: TrainerBackend;
  readonly app?: AppBackend;
  readonly console?: ConsoleBackend;
  /**
   * The audiences a connection serves, from its upgrade request; by default all but the console's
   * (the lone browser host's pages share one loopback origin, and its citizen screen carries the
   * card tray; a console is only ever given to a page that presented the trainer's token).
   * A call of a method for another audience is answered NOT_ALLOWED.
   */
  readonly audiences?: (req: http.IncomingMessage) => ReadonlySet<Audience>;
  /** Where faults are logged (never a message's content); stderr by default. */
  readonly log?: HostLog;
}

export interface KioskWs {
  readonly wss: WebSocketServer;
  close(): Promise<void>;
}

/** Refuses an upgrade with a bare HTTP answer, then drops the socket once it is written. */
function refuseUpgrade(socket: Duplex, status: number): void {
  if (!socket.writable) return void socket.destroy();
  socket.once('finish', () => socket.destroy());
  socket.end(bareAnswer(status));
}

/** What a connection serves unless `audiences` says otherwise: every audience but the console's. */
const EVERY_AUDIENCE: ReadonlySet<Audience> = new Set(Object.values(METHODS).map((m) => m.audience).filter((a) => a !== 'console'));

/** Attaches the kiosk WebSocket endpoint (KIOSK_WS_PATH) to an HTTP server. */
export function attachKioskWebSocket(server: http.Server, backend: KioskBackend, opts: KioskWsOptions): KioskWs {
  const endpoint = kioskWsEndpoint(backend, opts);
  routeUpgrades(server, (path) => (path === KIOSK_WS_PATH ? endpoint : undefined), opts.log ?? stderrLog);
  return endpoint;
}

/** One kiosk WebSocket endpoint, mounted by `routeUpgrades` at a path of its host's choosing. */
export interface KioskWsEndpoint extends KioskWs {
  /** Takes an upgrade already routed here: checks its origin and the connection limit, then serves it. */
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
}

export function kioskWsEndpoint(backend: KioskBackend, opts: KioskWsOptions): KioskWsEndpoint {
  const log = opts.log ?? stderrLog;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  wss.on('connection', (ws: WebSocket, req: http.IncomingMessage) => serveConnection(ws, backend, opts.audiences?.(req) ?? EVERY_AUDIENCE, opts, log));
  return {
    wss,
    upgrade(req, socket, head) {
      // A browser always sends Origin on a WebSocket upgrade; a page from elsewhere must not drive the kiosk.
      const origin = req.headers.origin;
      if (origin === undefined || !opts.allowedOrigins.includes(origin)) return refuseUpgrade(socket, 403);
      if (wss.clients.size >= MAX_CONNECTIONS) return refuseUpgrade(socket, 503);
      // ws answers a malformed handshake (no key, wrong version, bad extensions) with 400 itself.
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

/**
 * The server's WebSocket upgrades, each to the endpoint `route` names for its path (404 for none).
 * A fault answers 500 and closes that socket only.
 */
export function routeUpgrades(server: http.Server, route: (path: string, req: http.IncomingMessage) => Pick<KioskWsEndpoint, 'upgrade'> | undefined, log: HostLog = stderrLog): void {
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands the socket over without an error listener: a peer that leaves would end the process.
    dropOnError(socket);
    try {
      const target = targetPath(req.url);
      if (!target.ok) return refuseUpgrade(socket, target.status);
      const endpoint = route(target.path, req);
      if (endpoint === undefined) return refuseUpgrade(socket, 404);
      endpoint.upgrade(req, socket, head);
    } catch (err) {
      log(`browser host: a WebSocket upgrade failed: ${describeFault(err)}`);
      refuseUpgrade(socket, 500);
    }
  });
}

/** Refuses an upgrade with a bare HTTP answer (exported for hosts that route upgrades themselves). */
export { refuseUpgrade };

/** One client: its snapshots, its message limit, its calls. A fault in any of them closes this connection only (1011). */
function serveConnection(ws: WebSocket, backend: KioskBackend, audiences: ReadonlySet<Audience>, opts: KioskWsOptions, log: HostLog): void {
  let unsubscribe = (): void => undefined;
  const out: Outbox = {
    send(msg) {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        log('browser host: dropped a kiosk WebSocket client that does not read what it is sent');
        ws.terminate();
        return;
      }
      ws.send(JSON.stringify(msg));
    },
    fault(where, err) {
      log(`browser host: kiosk WebSocket ${where} failed: ${describeFault(err)}`);
      unsubscribe();
      ws.close(1011, 'internal error');
    },
  };
  // ws closes the connection itself after a protocol error (bad frame, too large, not UTF-8).
  ws.on('close', () => unsubscribe());
  ws.on('error', () => unsubscribe());
  try {
    const push = (snapshot: Snapshot) => {
      try {
        out.send({ type: 'snapshot', snapshot });
      } catch (err) {
        out.fault('snapshot push', err);
      }
    };
    unsubscribe = backend.onSnapshot(push);
    push(backend.snapshot());
  } catch (err) {
    return out.fault('connection setup', err);
  }

  const admit = messageGate(KIOSK_MESSAGE_LIMIT, () => performance.now());
  let inFlight = 0;
  ws.on('message', (data: RawData, isBinary: boolean) => {
    try {
      // Closing: the tail of a flood is not even counted.
      if (ws.readyState !== ws.OPEN) return;
      const admission = admit();
      if (admission === 'close') {
        log('browser host: closed a kiosk WebSocket client that kept sending past its limit');
        return ws.close(1008, 'too many messages');
      }
      const text = isBinary ? null : rawText(data);
      const frame = text === null ? null : decodeFrame(text);
      if (admission === 'refuse') {
        return out.send(refusal(frame?.ok ? idOf(frame.value) : null, 'RATE_LIMITED', 'too many messages: wait a moment'));
      }
      if (frame === null) return out.send(refusal(null, 'INVALID_MESSAGE', 'text frames only'));
      if (!frame.ok) return out.send(refusal(null, 'INVALID_MESSAGE', 'not JSON'));
      const msg = checkClientMessage(frame.value);
      if (!msg.ok) {
        // The problem list names paths and keywords only, never values.
        const what = msg.problems.map((p) => `${p.path || '/'} ${p.keyword}`).join('; ');
        return out.send(refusal(idOf(frame.value), 'INVALID_MESSAGE', what.slice(0, 500)));
      }
      if (!audienceAllows(msg.value.method, audiences)) return out.send(refusal(msg.value.id, 'NOT_ALLOWED', `${msg.value.method} is not for this page`));
      if (inFlight >= MAX_CALLS_IN_FLIGHT) return out.send(refusal(msg.value.id, 'RATE_LIMITED', 'too many calls at once: wait for an answer'));
      inFlight++;
      void handle(out, backend, opts, log, msg.value, () => inFlight--).catch((err: unknown) => out.fault('call', err));
    } catch (err) {
      out.fault('message', err);
    }
  });
}

/** Where a connection's answers go. */
interface Outbox {
  send(msg: ServerMessage): void;
  /** Logs a fault (class, code, place; never content) and closes the connection with 1011. */
  fault(where: string, err: unknown): void;
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString();
  return Array.isArray(data) ? Buffer.concat(data).toString() : Buffer.from(data).toString();
}

function refusal(id: number | null, code: WireErrorCode, message: string): ServerMessage {
  return { type: 'reply', id, ok: false, error: { code, message } };
}

/**
 * Carries out one call and then calls `done`. A backend that throws is answered INTERNAL for this
 * call (the WebSocket form of a 500) and logged; the connection stays open for the next call.
 */
async function handle(out: Outbox, backend: KioskBackend, opts: KioskWsOptions, log: HostLog, msg: ClientMessage, done: () => void): Promise<void> {
  let value: unknown;
  try {
    const answer = dispatch(msg.method, callArguments(msg), { core: backend, trainer: opts.trainer, app: opts.app, console: opts.console });
    if (!answer.ok) return out.send(refusal(msg.id, 'UNSUPPORTED', UNSUPPORTED_MESSAGES[answer.missing]));
    // A call to the core answers at once: no await, so `done` below runs before the next message.
    value = answer.value instanceof Promise ? await answer.value : answer.value;
  } catch (err) {
    // Only the error's class of problem goes back, not its message (it could quote input).
    if ((err as { code?: unknown }).code === 'INVALID_MESSAGE') return out.send(refusal(msg.id, 'INVALID_MESSAGE', 'invalid message'));
    log(`browser host: kiosk call ${msg.method} failed: ${describeFault(err)}`);
    return out.send(refusal(msg.id, 'INTERNAL', 'internal error'));
  } finally {
    // Here, not on the returned promise: a call to the core completes without an await, so the
    // count drops before the next message of the same network read is taken.
    done();
  }
  out.send({ type: 'reply', id: msg.id, ok: true, value });
}

function idOf(v: unknown): number | null {
  const id = (v as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}
