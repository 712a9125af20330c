/**
 * A classroom host over real kiosk cores (fake reader and center): what a trainee's page, the
 * trainer's console and a stranger get. Loopback: station pages open without a code, the console
 * needs the trainer's token. LAN: a station's page needs its own join code; a wrong one, another
 * station's, a cross-origin page and a flood of attempts are refused, each with a clear answer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ServerMessage } from '../../electron/contract/wire';
import { ClassroomConsole } from '../../electron/classroom/console';
import { startClassroomHost, type ClassroomHost } from '../../electron/classroom/host';
import { Station } from '../../electron/classroom/station';
import { callMessage } from '../../electron/contract/wire';
import { KioskCore } from '../../electron/kiosk/session';
import { SettingsStore } from '../../electron/kiosk/settings';
import { FileResetJournal } from '../../electron/kiosk/journal';
import { MemoryEventRecord } from '../../electron/kiosk/record';
import type { TrainerBackend, AppBackend } from '../../electron/contract/backends';
import { FakeCenter, FakeReader, FakeScheduler } from '../fakes/kiosk';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const TOKEN = 'trainer-token-0123456789abcdef';
const CODES = ['AAAAAA', 'BBBBBB', 'CCCCCC'];

function rendererDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'classroom-renderer-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>kiosk</title><div id="app">renderer</div>');
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'assets', 'main.js'), 'console.log(1)');
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const tray: TrainerBackend = {
  listCards: async () => ({ available: true, cards: [], placed: null }),
  placeCard: async () => ({ ok: false, problem: 'no-such-card' }),
  removeCard: async () => ({ ok: true, cards: { available: true, cards: [], placed: null } }),
};
const app: AppBackend = {
  view: () => ({ state: { step: 'idle' }, busy: false, reader: 'phone' }),
  send: async () => ({ ok: false, problem: 'not-now' }),
  getCenter: async () => ({ ok: false, problem: 'unavailable' }),
  updateCenter: async () => ({ ok: false, problem: 'unavailable' }),
};

function station(n: number): Station {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'classroom-station-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const settings = new SettingsStore(null, {});
  const core = new KioskCore({
    reader: new FakeReader(),
    center: new FakeCenter(() => Date.now()),
    journal: new FileResetJournal(path.join(dir, 'journal.jsonl')),
    events: new MemoryEventRecord(),
    settings,
    scheduler: new FakeScheduler(),
  });
  cleanup.push(() => core.stop());
  return new Station({ n, core, tray, app });
}

async function classroom(lan = false): Promise<{ host: ClassroomHost; stations: Station[] }> {
  const stations = [station(1), station(2), station(3)];
  const host = await startClassroomHost({
    rendererDir: rendererDir(),
    stations,
    console: new ClassroomConsole({ stations }),
    trainerToken: TOKEN,
    joinCodes: CODES,
    lan,
    port: 0,
    log: () => undefined,
  });
  cleanup.push(() => host.close());
  return { host, stations };
}

/** Opens a socket; resolves with the connection, or with the HTTP status the upgrade was refused with. */
function open(url: string, origin: string): Promise<{ ws: WebSocket; first: ServerMessage } | { status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { origin });
    ws.once('message', (d) => {
      cleanup.push(() => ws.close());
      resolve({ ws, first: JSON.parse(d.toString()) as ServerMessage });
    });
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', () => undefined);
  });
}

function call(ws: WebSocket, id: number, method: Parameters<typeof callMessage>[1], args: unknown[]): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const onMessage = (d: WebSocket.RawData) => {
      const m = JSON.parse(d.toString()) as ServerMessage;
      if (m.type === 'reply' && m.id === id) {
        ws.off('message', onMessage);
        resolve(m);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify(callMessage(id, method, args as never)));
  });
}

const ws = (origin: string, p: string) => origin.replace('http', 'ws') + p;

describe('a classroom host on loopback', () => {
  it('sends / to the console, serves each station’s page and its assets under its own path', async () => {
    const { host } = await classroom();
    const root = await fetch(`${host.origin}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console/');
    const page = await fetch(`${host.origin}/s/2/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('renderer');
    expect((await fetch(`${host.origin}/s/2/assets/main.js`)).status).toBe(200);
    expect((await fetch(`${host.origin}/console/assets/main.js`)).status).toBe(200);
    const none = await fetch(`${host.origin}/s/9/`);
    expect(none.status).toBe(404);
    expect(await none.text()).toContain('この番号の端末はありません');
  });

  it('gives a station’s page its own kiosk, with the station’s part in the snapshot, and not the trainer’s tools', async () => {
    const { host } = await classroom();
    const c = await open(ws(host.origin, '/s/2/ws'), host.origin);
    if (!('ws' in c)) throw new Error(`refused ${c.status}`);
    expect(c.first).toMatchObject({ type: 'snapshot', snapshot: { station: { n: 2, paused: false, task: null } } });
    expect(await call(c.ws, 1, 'getSettings', [])).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(await call(c.ws, 2, 'getClass', [])).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(await call(c.ws, 5, 'updateCenter', [{ offsetMs: 0 }])).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    expect(await call(c.ws, 3, 'listCards', [])).toMatchObject({ ok: true });
    expect(await call(c.ws, 4, 'send', [{ type: 'choose-service', service: 'admin' }])).toMatchObject({ ok: true, value: { accepted: true } });
  });

  it('refuses a page of another origin, on a station’s socket and on the console’s', async () => {
    const { host } = await classroom();
    expect(await open(ws(host.origin, '/s/1/ws'), 'http://evil.example')).toEqual({ status: 403 });
    expect(await open(ws(host.origin, `/console/ws?t=${TOKEN}`), 'http://evil.example')).toEqual({ status: 403 });
  });

  it('gives the console only with the trainer’s token', async () => {
    const { host } = await classroom();
    expect(await open(ws(host.origin, '/console/ws'), host.origin)).toEqual({ status: 401 });
    expect(await open(ws(host.origin, '/console/ws?t=not-the-token-at-all'), host.origin)).toEqual({ status: 403 });
    const c = await open(ws(host.origin, `/console/ws?t=${TOKEN}`), host.origin);
    if (!('ws' in c)) throw new Error(`refused ${c.status}`);
    const view = await call(c.ws, 1, 'getClass', []);
    expect(view).toMatchObject({ ok: true, value: { stations: [{ n: 1 }, { n: 2 }, { n: 3 }] } });
    // The console is the trainer's: it cannot touch a kiosk as a citizen.
    expect(await call(c.ws, 2, 'send', [{ type: 'choose-service', service: 'admin' }])).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
  });

  it('pauses the selected stations: their pages show it and take no touch until resumed', async () => {
    const { host, stations } = await classroom();
    const trainee = await open(ws(host.origin, '/s/3/ws'), host.origin);
    const trainer = await open(ws(host.origin, `/console/ws?t=${TOKEN}`), host.origin);
    if (!('ws' in trainee) || !('ws' in trainer)) throw new Error('refused');
    const paused = new Promise<ServerMessage>((resolve) => trainee.ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as ServerMessage;
      if (m.type === 'snapshot' && m.snapshot.station?.paused === true) resolve(m);
    }));
    expect(await call(trainer.ws, 1, 'actOnStations', [[1, 3], { type: 'pause' }])).toMatchObject({ ok: true, value: { ok: true } });
    await paused;
    expect(await call(trainee.ws, 2, 'send', [{ type: 'choose-service', service: 'admin' }])).toMatchObject({ ok: true, value: { accepted: false, reason: 'not-now' } });
    expect(stations[1]?.paused).toBe(false);
    await call(trainer.ws, 3, 'actOnStations', [[3], { type: 'resume' }]);
    expect(await call(trainee.ws, 4, 'send', [{ type: 'choose-service', service: 'admin' }])).toMatchObject({ ok: true, value: { accepted: true } });
    // An unknown station is named, and nothing is done.
    expect(await call(trainer.ws, 5, 'actOnStations', [[2, 7], { type: 'pause' }])).toMatchObject({ ok: true, value: { ok: false, problem: 'no-such-station', stations: [7] } });
    expect(stations[1]?.paused).toBe(false);
  });
});

describe('a classroom host on the LAN', () => {
  it('asks for the station’s join code, with a page that says so and a form to type it', async () => {
    const { host } = await classroom(true);
    const missing = await fetch(`${host.origin}/s/2/`);
    expect(missing.status).toBe(401);
    const text = await missing.text();
    expect(text).toContain('参加コードが必要です');
    expect(text).toContain('<form method="get" action="/s/2/">');
    const ok = await fetch(host.stationUrl(2));
    expect(ok.status).toBe(200);
    expect(host.stationUrl(2)).toMatch(/\/s\/2\/\?code=BBBBBB$/);
    // Typed in lower case on a tablet: still the code.
    expect((await fetch(`${host.origin}/s/2/?code=bbbbbb`)).status).toBe(200);
  });

  it('refuses a wrong code and another station’s code, on the page and on the socket', async () => {
    const { host } = await classroom(true);
    const wrong = await fetch(`${host.origin}/s/2/?code=ZZZZZZ`);
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain('参加コードが違います');
    expect((await fetch(`${host.origin}/s/3/?code=BBBBBB`)).status).toBe(403);
    expect(await open(ws(host.origin, '/s/3/ws?code=BBBBBB'), host.origin)).toEqual({ status: 403 });
    expect(await open(ws(host.origin, '/s/3/ws'), host.origin)).toEqual({ status: 401 });
    const right = await open(ws(host.origin, '/s/3/ws?code=CCCCCC'), host.origin);
    expect('ws' in right).toBe(true);
  });

  it('stops answering an address that floods wrong codes, even with the right code, for a while', async () => {
    const { host } = await classroom(true);
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await fetch(`${host.origin}/s/1/?code=WRONG${i}`)).status);
    expect(statuses.slice(0, 10).every((s) => s === 403)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Even the right code waits now, from that address.
    expect((await fetch(host.stationUrl(1))).status).toBe(429);
    expect(await open(ws(host.origin, '/s/1/ws?code=AAAAAA'), host.origin)).toEqual({ status: 429 });
  });
});
