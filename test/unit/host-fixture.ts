/**
 * The browser host's real server (electron/host/browser-host.ts: guarded static files and the
 * kiosk WebSocket) on a free port, with a kiosk core on fakes (no pcscd, no center) and its state
 * in a temporary directory: a renderer with an index.html, the reset journal and the session
 * record as the production host writes it (JSONL). Plus the clients the host tests speak with:
 * raw TCP for requests no HTTP library would send, and WebSocket clients from the page's origin.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { KIOSK_WS_PATH, type ServerMessage } from '../../electron/contract/wire';
import { startBrowserHost, type BrowserHost } from '../../electron/host/browser-host';
import type { AppBackend, KioskBackend, TrainerBackend } from '../../electron/contract/backends';
import { FileResetJournal } from '../../electron/kiosk/journal';
import { JsonlEventRecord } from '../../electron/kiosk/record';
import { KioskCore } from '../../electron/kiosk/session';
import { SettingsStore } from '../../electron/kiosk/settings';
import { FakeCenter, FakeReader, FakeScheduler } from '../fakes/kiosk';

export const INDEX_HTML = '<!doctype html><title>kiosk</title>';

export interface TestHost {
  readonly host: BrowserHost;
  readonly core: KioskCore;
  readonly port: number;
  readonly origin: string;
  readonly wsUrl: string;
  /** The renderer directory it serves. */
  readonly rendererDir: string;
  /** The session record (JSONL) the core writes. */
  readonly recordFile: string;
  /** What the host logged. */
  readonly logs: string[];
  /** The session record's lines now, parsed. */
  record(): Record<string, unknown>[];
  close(): Promise<void>;
}

export interface TestHostOptions {
  /** Wraps the real core (to make it fail); the core itself by default. */
  readonly backend?: (core: KioskCore) => KioskBackend;
  readonly trainer?: TrainerBackend;
  readonly app?: AppBackend;
}

export async function startTestHost(opts: TestHostOptions = {}): Promise<TestHost> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-host-'));
  const rendererDir = path.join(root, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), INDEX_HTML);
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'export {};');
  const recordFile = path.join(root, 'kiosk', 'record', 'sessions.jsonl');
  const core = new KioskCore({
    reader: new FakeReader(),
    center: new FakeCenter(() => Date.now()),
    journal: new FileResetJournal(path.join(root, 'kiosk', 'reset-journal.jsonl')),
    events: new JsonlEventRecord(recordFile),
    settings: new SettingsStore(null, { clock: { mode: 'fixed', at: Date.parse('2026-11-25T10:00:00+09:00') } }),
    scheduler: new FakeScheduler(),
  });
  await core.start();
  const logs: string[] = [];
  const host = await startBrowserHost({
    rendererDir,
    core: opts.backend?.(core) ?? core,
    port: 0,
    log: (line) => logs.push(line),
    ...(opts.trainer !== undefined && { trainer: opts.trainer }),
    ...(opts.app !== undefined && { app: opts.app }),
  });
  const port = Number(new URL(host.origin).port);
  return {
    host,
    core,
    port,
    origin: host.origin,
    wsUrl: `ws://127.0.0.1:${port}${KIOSK_WS_PATH}`,
    rendererDir,
    recordFile,
    logs,
    record: () =>
      fs.existsSync(recordFile)
        ? fs
            .readFileSync(recordFile, 'utf8')
            .split('\n')
            .filter((l) => l !== '')
            .map((l) => JSON.parse(l) as Record<string, unknown>)
        : [],
    async close() {
      await host.close();
      core.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Raw TCP

/** What came back for raw bytes: the status of the first answer, whether the host closed the socket, or neither in time. */
export interface RawAnswer {
  readonly status: number | null;
  readonly closed: boolean;
  /** The first bytes of the answer (latin1), to show in a failure. */
  readonly head: string;
}

/**
 * Sends `bytes` on a fresh connection and waits for the first status line or the host closing
 * the socket, up to `timeoutMs` (then neither is set: the host hung). With `end`, the client
 * finishes its side after writing (FIN), as a client does that has nothing more to send: a
 * request cut short can then only be answered by closing.
 */
export function rawExchange(port: number, bytes: string | Buffer, opts: { end?: boolean; timeoutMs?: number } = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let got = '';
    let settled = false;
    const settle = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.[01] (\d{3}) /.exec(got);
      resolve({ status: m ? Number(m[1]) : null, closed, head: got.slice(0, 120) });
    };
    const timer = setTimeout(() => settle(false), opts.timeoutMs ?? 3000);
    socket.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (/^HTTP\/1\.[01] \d{3} /.test(got)) settle(false);
    });
    // A reset is the host closing too (it may cut a connection whose request it refused).
    socket.on('error', () => settle(true));
    socket.on('close', () => settle(true));
    socket.write(bytes);
    if (opts.end === true) socket.end();
  });
}

/** "4xx", "closed", "hang" or the odd status: what a test asserts on. */
export function verdict(a: RawAnswer): string {
  if (a.status !== null) return a.status >= 400 && a.status < 500 ? '4xx' : `status ${a.status}`;
  return a.closed ? 'closed' : 'hang';
}

/** A complete HTTP/1.1 request with the given request line and headers. */
export function request(line: string, headers: readonly string[] = ['Host: 127.0.0.1']): string {
  return `${line}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;
}

// ---------------------------------------------------------------------------------------------
// WebSocket clients

export interface WsClient {
  readonly ws: WebSocket;
  /** The next message (in arrival order), or an error after `timeoutMs`. */
  next(timeoutMs?: number): Promise<ServerMessage>;
  /** Replies received so far that are not consumed by next(). */
  readonly queued: ServerMessage[];
  /** Resolves with the close code when the host closes the connection. */
  readonly closed: Promise<number>;
}

/** A client from the page's origin; resolves once open. */
export function wsClient(h: TestHost): Promise<WsClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(h.wsUrl, { origin: h.origin });
    const queued: ServerMessage[] = [];
    const waiters: ((m: ServerMessage) => void)[] = [];
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as ServerMessage;
      const w = waiters.shift();
      if (w) w(m);
      else queued.push(m);
    });
    ws.on('error', () => undefined);
    ws.once('open', () =>
      resolve({
        ws,
        queued,
        closed,
        next(timeoutMs = 3000) {
          const m = queued.shift();
          if (m !== undefined) return Promise.resolve(m);
          return new Promise((res, rej) => {
            const t = setTimeout(() => rej(new Error('no message from the host in time')), timeoutMs);
            waiters.push((msg) => {
              clearTimeout(t);
              res(msg);
            });
          });
        },
      }),
    );
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** The next reply (snapshots pushed meanwhile are skipped). */
export async function nextReply(c: WsClient, timeoutMs?: number): Promise<Extract<ServerMessage, { type: 'reply' }>> {
  for (;;) {
    const m = await c.next(timeoutMs);
    if (m.type === 'reply') return m;
  }
}

/**
 * What a user of the host sees when it still works: the page loads, and a new window.kiosk
 * connection gets the current snapshot.
 */
export async function stillServes(h: TestHost): Promise<{ page: number; body: string; snapshot: string }> {
  const res = await fetch(`${h.origin}/index.html`);
  const body = await res.text();
  const c = await wsClient(h);
  try {
    const first = await c.next();
    return { page: res.status, body, snapshot: first.type === 'snapshot' ? first.snapshot.screen.id : `not a snapshot: ${first.type}` };
  } finally {
    c.ws.terminate();
  }
}
