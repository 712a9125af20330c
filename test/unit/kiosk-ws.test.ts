/**
 * The browser host's WebSocket transport: same-origin only, every frame checked against the
 * contract, snapshots pushed; and the renderer's ws-kiosk client driving the real core through it.
 */
import http from 'node:http';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Snapshot } from '../../electron/contract/kiosk';
import { KIOSK_WS_PATH, type ServerMessage } from '../../electron/contract/wire';
import { attachKioskWebSocket } from '../../electron/host/kiosk-ws';
import { FileResetJournal } from '../../electron/kiosk/journal';
import { MemoryEventRecord } from '../../electron/kiosk/record';
import { KioskCore } from '../../electron/kiosk/session';
import { SettingsStore } from '../../electron/kiosk/settings';
import { createWsKiosk } from '../../electron/contract/ws-client';
import { FakeCenter, FakeReader, FakeScheduler } from '../fakes/kiosk';
import os from 'node:os';
import path from 'node:path';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function host(trainer?: Parameters<typeof attachKioskWebSocket>[2]['trainer']) {
  const core = new KioskCore({
    reader: new FakeReader(),
    center: new FakeCenter(() => Date.now()),
    journal: new FileResetJournal(path.join(os.tmpdir(), `kiosk-ws-${process.pid}-${Math.random()}.jsonl`)),
    events: new MemoryEventRecord(),
    settings: new SettingsStore(null, { clock: { mode: 'fixed', at: Date.parse('2026-11-25T10:00:00+09:00') } }),
    scheduler: new FakeScheduler(),
  });
  await core.start();
  const server = http.createServer((_req, res) => res.end('renderer'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const ws = attachKioskWebSocket(server, core, { allowedOrigins: [origin], ...(trainer && { trainer }) });
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  cleanup.push(() => ws.close());
  cleanup.push(() => core.stop());
  return { core, url: `ws://127.0.0.1:${port}${KIOSK_WS_PATH}`, origin, port };
}

function connect(url: string, origin?: string): Promise<{ ws: WebSocket; messages: ServerMessage[]; next: () => Promise<ServerMessage> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin });
    const messages: ServerMessage[] = [];
    const waiters: ((m: ServerMessage) => void)[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as ServerMessage;
      const w = waiters.shift();
      if (w) w(m);
      else messages.push(m);
    });
    ws.once('open', () => {
      cleanup.push(() => ws.close());
      resolve({
        ws,
        messages,
        next: () => {
          const m = messages.shift();
          return m !== undefined ? Promise.resolve(m) : new Promise((r) => waiters.push(r));
        },
      });
    });
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('kiosk WebSocket endpoint', () => {
  it('refuses another origin, and a client without one', async () => {
    const h = await host();
    await expect(connect(h.url, 'http://evil.example')).rejects.toThrow('HTTP 403');
    await expect(connect(h.url, `http://localhost:${h.port}`)).rejects.toThrow('HTTP 403');
    await expect(connect(h.url)).rejects.toThrow('HTTP 403');
  });

  it('pushes the current snapshot on connect, answers calls, pushes the next snapshot', async () => {
    const h = await host();
    const c = await connect(h.url, h.origin);
    const first = await c.next();
    expect(first).toMatchObject({ type: 'snapshot', snapshot: { screen: { id: 'top' } } });
    c.ws.send(JSON.stringify({ type: 'call', id: 7, method: 'send', intent: { type: 'choose-service', service: 'admin' } }));
    const msgs = [await c.next(), await c.next()];
    expect(msgs).toContainEqual({ type: 'reply', id: 7, ok: true, value: { accepted: true } });
    expect(msgs.find((m) => m.type === 'snapshot')).toMatchObject({ snapshot: { screen: { id: 'admin-menu' } } });
  });

  it.each([
    ['not JSON', '{nope', null],
    ['unknown method', JSON.stringify({ type: 'call', id: 3, method: 'resetCard' }), 3],
    ['malformed intent', JSON.stringify({ type: 'call', id: 4, method: 'send', intent: { type: 'agree', pin: '4071' } }), 4],
    ['no id', JSON.stringify({ type: 'call', method: 'getSnapshot' }), null],
  ])('answers %s with INVALID_MESSAGE, without echoing it', async (_what, frame, id) => {
    const h = await host();
    const c = await connect(h.url, h.origin);
    await c.next(); // initial snapshot
    c.ws.send(frame);
    const r = await c.next();
    expect(r).toMatchObject({ type: 'reply', id, ok: false, error: { code: 'INVALID_MESSAGE' } });
    expect(JSON.stringify(r)).not.toContain('4071');
    expect(h.core.snapshot().screen.id).toBe('top');
  });

  it('settings: the center key never comes back', async () => {
    const h = await host();
    const c = await connect(h.url, h.origin);
    await c.next();
    c.ws.send(JSON.stringify({ type: 'call', id: 1, method: 'updateSettings', patch: { centerKey: 'sekrit-key-123', chain: 'lawson' } }));
    const msgs = [await c.next(), await c.next()];
    const reply = msgs.find((m) => m.type === 'reply');
    expect(reply).toMatchObject({ ok: true, value: { ok: true, settings: { chain: 'lawson', centerKeySet: true } } });
    expect(JSON.stringify(msgs)).not.toContain('sekrit-key-123');
  });
});

describe('trainer calls over the socket', () => {
  it('UNSUPPORTED without virtual cards; forwarded (name checked) with them', async () => {
    const h1 = await host();
    const c1 = await connect(h1.url, h1.origin);
    await c1.next();
    c1.ws.send(JSON.stringify({ type: 'call', id: 1, method: 'listCards' }));
    expect(await c1.next()).toMatchObject({ type: 'reply', id: 1, ok: false, error: { code: 'UNSUPPORTED' } });

    const placed: string[] = [];
    const view = { available: true, cards: [{ name: 'adult', persona: 'adult', holderName: '番号 花子' }], placed: null };
    const h2 = await host({
      listCards: async () => view,
      placeCard: async (name) => (placed.push(name), { ok: true, cards: { ...view, placed: name } }),
      removeCard: async () => ({ ok: true, cards: view }),
    });
    const c2 = await connect(h2.url, h2.origin);
    await c2.next();
    c2.ws.send(JSON.stringify({ type: 'call', id: 2, method: 'placeCard', name: 'adult' }));
    expect(await c2.next()).toMatchObject({ type: 'reply', id: 2, ok: true, value: { ok: true, cards: { placed: 'adult' } } });
    c2.ws.send(JSON.stringify({ type: 'call', id: 3, method: 'placeCard', name: '../../etc/passwd' }));
    expect(await c2.next()).toMatchObject({ type: 'reply', id: 3, ok: false, error: { code: 'INVALID_MESSAGE' } });
    expect(placed).toEqual(['adult']);
  });
});

describe('WebSocket client (the browser host\'s window.kiosk)', () => {
  it('implements KioskApi over the socket: snapshots, send, settings', async () => {
    const h = await host();
    class OriginWebSocket extends WebSocket {
      constructor(url: string) {
        super(url, { origin: h.origin });
      }
    }
    const api = createWsKiosk({ url: h.url, WebSocket: OriginWebSocket as unknown as typeof globalThis.WebSocket });
    cleanup.push(() => api.close());
    const seen: Snapshot[] = [];
    api.onSnapshot((s) => seen.push(s));
    expect((await api.getSnapshot()).screen.id).toBe('top');
    expect(await api.send({ type: 'choose-service', service: 'admin' })).toEqual({ accepted: true });
    expect(await api.send({ type: 'agree' })).toEqual({ accepted: false, reason: 'not-now' });
    expect((await api.getSettings()).chain).toBe('seven-eleven');
    expect(await api.updateSettings({ timeouts: { inactivitySeconds: 20, warningSeconds: 30, takeCardSeconds: 30 } })).toEqual({ ok: false, problem: 'warning-longer-than-inactivity' });
    await new Promise((r) => setTimeout(r, 20));
    expect(seen.at(-1)?.screen.id).toBe('admin-menu');
    // A malformed intent is refused by the server's boundary check.
    await expect(api.send({ type: 'agree', extra: 1 } as never)).rejects.toMatchObject({ code: 'INVALID_MESSAGE' });
  });
});
