/**
 * Which socket each page of a classroom opens (wsUrlForPage), and that the host answers it: a
 * station's page reaches its own station (with its join code on a LAN host), the console reaches the
 * console with the trainer's token from its address, a lone kiosk keeps the browser host's path. A
 * console with a wrong token is refused at the upgrade and is told so once, so it can stop retrying.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ClassroomConsole } from '../../electron/classroom/console';
import { startClassroomHost, type ClassroomHost } from '../../electron/classroom/host';
import { Station } from '../../electron/classroom/station';
import type { AppBackend, TrainerBackend } from '../../electron/contract/backends';
import { KIOSK_WS_PATH } from '../../electron/contract/wire';
import { consoleTokenIn, createWsKiosk, isConsolePath, wsUrlForPage, type PageLocation, type WsLinkEvent } from '../../electron/contract/ws-client';
import { FileResetJournal } from '../../electron/kiosk/journal';
import { MemoryEventRecord } from '../../electron/kiosk/record';
import { KioskCore } from '../../electron/kiosk/session';
import { SettingsStore } from '../../electron/kiosk/settings';
import { FakeCenter, FakeReader, FakeScheduler } from '../fakes/kiosk';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const at = (pathname: string, search = '', hash = ''): PageLocation => ({ protocol: 'http:', host: '127.0.0.1:8080', pathname, search, hash });

describe('wsUrlForPage', () => {
  it('gives a lone kiosk page the browser host’s socket, whatever its hash route', () => {
    expect(wsUrlForPage({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe(`ws://127.0.0.1:8080${KIOSK_WS_PATH}`);
    expect(wsUrlForPage(at('/', '', '#/app'))).toBe(`ws://127.0.0.1:8080${KIOSK_WS_PATH}`);
    expect(wsUrlForPage(at('/index.html'))).toBe(`ws://127.0.0.1:8080${KIOSK_WS_PATH}`);
    expect(wsUrlForPage({ ...at('/'), protocol: 'https:', host: 'kiosk.example' })).toBe(`wss://kiosk.example${KIOSK_WS_PATH}`);
  });

  it('gives station n’s page its own socket, carrying the page’s join code', () => {
    expect(wsUrlForPage(at('/s/3/'))).toBe('ws://127.0.0.1:8080/s/3/ws');
    expect(wsUrlForPage(at('/s/3'))).toBe('ws://127.0.0.1:8080/s/3/ws');
    expect(wsUrlForPage(at('/s/12/index.html', '?code=K7QP2M', '#/app'))).toBe('ws://127.0.0.1:8080/s/12/ws?code=K7QP2M');
    // Only the code travels, encoded: nothing else of the page's query reaches the socket.
    expect(wsUrlForPage(at('/s/2/', '?x=1&code=a%26b c'))).toBe('ws://127.0.0.1:8080/s/2/ws?code=a%26b%20c');
    expect(wsUrlForPage(at('/s/2/', '?code='))).toBe('ws://127.0.0.1:8080/s/2/ws');
    // Not a station path: the lone kiosk's socket.
    expect(wsUrlForPage(at('/s/x/'))).toBe(`ws://127.0.0.1:8080${KIOSK_WS_PATH}`);
    expect(wsUrlForPage(at('/sx/2/'))).toBe(`ws://127.0.0.1:8080${KIOSK_WS_PATH}`);
  });

  it('gives the console the trainer’s token: the one the page kept, else the one in its fragment', () => {
    expect(wsUrlForPage(at('/console/', '', '#token=abc-DEF_123'))).toBe('ws://127.0.0.1:8080/console/ws?t=abc-DEF_123');
    expect(wsUrlForPage(at('/console/', '', ''), 'kept')).toBe('ws://127.0.0.1:8080/console/ws?t=kept');
    expect(wsUrlForPage(at('/console/', '', '#token=new'), 'kept')).toBe('ws://127.0.0.1:8080/console/ws?t=kept');
    expect(wsUrlForPage(at('/console/index.html', '', '#token=a+b/c='))).toBe('ws://127.0.0.1:8080/console/ws?t=a%20b%2Fc%3D');
    // No token: no `t` at all, and the host refuses the socket as "token needed".
    expect(wsUrlForPage(at('/console/'))).toBe('ws://127.0.0.1:8080/console/ws');
    expect(wsUrlForPage(at('/console/', '', '#token='))).toBe('ws://127.0.0.1:8080/console/ws');
    expect(wsUrlForPage(at('/consoles/', '', '#token=abc'))).toBe(`ws://127.0.0.1:8080${KIOSK_WS_PATH}`);
  });

  it('reads the token only from a fragment that names it', () => {
    expect(consoleTokenIn('#token=abc')).toBe('abc');
    expect(consoleTokenIn('token=abc')).toBe('abc');
    expect(consoleTokenIn('#/app')).toBeNull();
    expect(consoleTokenIn('')).toBeNull();
    expect(isConsolePath('/console')).toBe(true);
    expect(isConsolePath('/console/')).toBe(true);
    expect(isConsolePath('/consoles')).toBe(false);
    expect(isConsolePath('/s/1/')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Against a real classroom host (two stations over fake readers and center).

const TOKEN = 'trainer-token-0123456789abcdef';
const CODES = ['AAAAAA', 'BBBBBB'];

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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'classroom-socket-'));
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const core = new KioskCore({
    reader: new FakeReader(),
    center: new FakeCenter(() => Date.now()),
    journal: new FileResetJournal(path.join(dir, 'journal.jsonl')),
    events: new MemoryEventRecord(),
    settings: new SettingsStore(null, {}),
    scheduler: new FakeScheduler(),
  });
  cleanup.push(() => core.stop());
  return new Station({ n, core, tray, app });
}

async function classroom(lan = false): Promise<ClassroomHost> {
  const stations = [station(1), station(2)];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'classroom-renderer-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>kiosk</title>');
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const host = await startClassroomHost({
    rendererDir: dir,
    stations,
    console: new ClassroomConsole({ stations }),
    trainerToken: TOKEN,
    joinCodes: CODES,
    lan,
    port: 0,
    log: () => undefined,
  });
  cleanup.push(() => host.close());
  return host;
}

/** The page at `href` as the browser gives it to wsUrlForPage (`location`). */
function pageAt(href: string): PageLocation {
  const u = new URL(href);
  return { protocol: u.protocol, host: u.host, pathname: u.pathname, search: u.search, hash: u.hash };
}

/** A browser's WebSocket: it sends the page's origin, and a refused upgrade is a close (no throw). */
function browserSocket(origin: string): typeof globalThis.WebSocket {
  return class extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
      this.on('error', () => undefined);
    }
  } as unknown as typeof globalThis.WebSocket;
}

describe('the sockets a classroom’s pages open', () => {
  it('a station’s page reaches its own station, and the console reaches the console', async () => {
    const host = await classroom();
    const s2 = createWsKiosk({ url: wsUrlForPage(pageAt(host.stationUrl(2))), WebSocket: browserSocket(host.origin) });
    cleanup.push(() => s2.close());
    expect((await s2.getSnapshot()).station).toMatchObject({ n: 2, paused: false });

    const page = pageAt(host.consoleUrl());
    expect(page.hash).toBe(`#token=${TOKEN}`);
    const links: WsLinkEvent[] = [];
    const console = createWsKiosk({ url: wsUrlForPage(page), WebSocket: browserSocket(host.origin), onLink: (e) => links.push(e) });
    cleanup.push(() => console.close());
    const view = await console.console!.getClass();
    expect(view.stations.map((s) => s.n)).toEqual([1, 2]);
    expect(links).toEqual([{ state: 'open' }]);
  });

  it('on a LAN host, the station page’s join code reaches its socket', async () => {
    const host = await classroom(true);
    const url = host.stationUrl(2, host.origin);
    expect(url).toMatch(/\?code=BBBBBB$/);
    const s2 = createWsKiosk({ url: wsUrlForPage(pageAt(url)), WebSocket: browserSocket(host.origin) });
    cleanup.push(() => s2.close());
    expect((await s2.getSnapshot()).station?.n).toBe(2);
  });

  it('a console with a wrong token is refused before its socket opens, and stops when told to', async () => {
    const host = await classroom();
    const links: WsLinkEvent[] = [];
    const client = createWsKiosk({
      url: wsUrlForPage(pageAt(`${host.origin}/console/#token=not-the-token`)),
      WebSocket: browserSocket(host.origin),
      onLink: (e) => {
        links.push(e);
        if (e.state === 'closed' && !e.everOpened) client.close();
      },
    });
    await expect(client.console!.getClass()).rejects.toMatchObject({ code: 'CLOSED' });
    // Stopped: no second attempt (each one would count as a failed guess of the token).
    await new Promise((r) => setTimeout(r, 400));
    expect(links).toEqual([{ state: 'closed', everOpened: false }]);
  });
});
