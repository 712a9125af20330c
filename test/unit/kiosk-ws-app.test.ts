/**
 * window.kiosk.app over the browser host's WebSocket: the renderer's ws-kiosk client drives the
 * app simulator through the transport (every message checked against the contract both ways), a
 * host without one answers UNSUPPORTED, and a malformed app intent never reaches it.
 */
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { KioskApi } from '../../electron/contract/api';
import type { AppResult, AppView } from '../../electron/contract/app';
import type { CenterDeskResult } from '../../electron/contract/trainer';
import { KIOSK_WS_PATH } from '../../electron/contract/wire';
import { createWsKiosk, KioskTransportError } from '../../electron/contract/ws-client';
import type { AppBackend } from '../../electron/contract/backends';
import { attachKioskWebSocket } from '../../electron/host/kiosk-ws';
import { FileResetJournal } from '../../electron/kiosk/journal';
import { MemoryEventRecord } from '../../electron/kiosk/record';
import { KioskCore } from '../../electron/kiosk/session';
import { SettingsStore } from '../../electron/kiosk/settings';
import { FakeCenter, FakeReader, FakeScheduler } from '../fakes/kiosk';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const CARD = { name: 'adult', holderName: '番号 花子', birthDate: '1990-01-02', cardExpiry: '2034-01-02', securityCode: '4321' };

/** An app backend that records what reaches it (intent types only, as a host would log them). */
class RecordingApp implements AppBackend {
  readonly got: string[] = [];
  #view: AppView = { state: { step: 'idle' }, busy: false, reader: 'Virtual PCD 00 01' };
  view(): AppView {
    return this.#view;
  }
  async send(intent: unknown): Promise<AppResult> {
    const type = (intent as { type: string }).type;
    this.got.push(type);
    if (type === 'start') this.#view = { ...this.#view, state: { step: 'consent', card: CARD } };
    return { ok: true, view: this.#view };
  }
  async getCenter(): Promise<CenterDeskResult> {
    return { ok: true, center: { now: 1000, offsetMs: 0, maintenance: [] } };
  }
  async updateCenter(patch: unknown): Promise<CenterDeskResult> {
    this.got.push(`center ${JSON.stringify(patch)}`);
    return { ok: false, problem: 'unavailable' };
  }
}

async function host(app?: AppBackend): Promise<KioskApi & { close(): void }> {
  const core = new KioskCore({
    reader: new FakeReader(),
    center: new FakeCenter(() => Date.now()),
    journal: new FileResetJournal(path.join(os.tmpdir(), `kiosk-ws-app-${process.pid}-${Math.random()}.jsonl`)),
    events: new MemoryEventRecord(),
    settings: new SettingsStore(null),
    scheduler: new FakeScheduler(),
  });
  await core.start();
  const server = http.createServer((_req, res) => res.end('renderer'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const ws = attachKioskWebSocket(server, core, { allowedOrigins: [origin], ...(app && { app }) });
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  cleanup.push(() => ws.close());
  cleanup.push(() => core.stop());
  class OriginWebSocket extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  }
  const client = createWsKiosk({ url: `ws://127.0.0.1:${port}${KIOSK_WS_PATH}`, WebSocket: OriginWebSocket as unknown as typeof globalThis.WebSocket });
  cleanup.push(() => client.close());
  return client;
}

describe('window.kiosk.app over the WebSocket', () => {
  it('carries the app’s state, intents and the center desk, checked against the contract', async () => {
    const backend = new RecordingApp();
    const kiosk = await host(backend);
    await expect(kiosk.app?.getState()).resolves.toEqual({ state: { step: 'idle' }, busy: false, reader: 'Virtual PCD 00 01' });
    await expect(kiosk.app?.send({ type: 'start', card: 'adult' })).resolves.toEqual({
      ok: true,
      view: { state: { step: 'consent', card: CARD }, busy: false, reader: 'Virtual PCD 00 01' },
    });
    await expect(kiosk.app?.getCenter()).resolves.toEqual({ ok: true, center: { now: 1000, offsetMs: 0, maintenance: [] } });
    await expect(kiosk.app?.updateCenter({ offsetMs: 86_400_000 })).resolves.toEqual({ ok: false, problem: 'unavailable' });
    expect(backend.got).toEqual(['start', 'center {"offsetMs":86400000}']);
  });

  it('a malformed app intent is refused at the transport and never reaches the simulator', async () => {
    const backend = new RecordingApp();
    const kiosk = await host(backend);
    const bad = { type: 'submit-other-password', value: 'X'.repeat(40) } as unknown as Parameters<NonNullable<KioskApi['app']>['send']>[0];
    const err = await kiosk.app?.send(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KioskTransportError);
    expect((err as KioskTransportError).code).toBe('INVALID_MESSAGE');
    // The refusal names paths and keywords, never the value.
    expect((err as Error).message).not.toContain('XXXX');
    await expect(kiosk.app?.send({ type: 'start', card: '../etc' })).rejects.toMatchObject({ code: 'INVALID_MESSAGE' });
    expect(backend.got).toEqual([]);
  });

  it('a host without an app simulator answers UNSUPPORTED', async () => {
    const kiosk = await host();
    await expect(kiosk.app?.getState()).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(kiosk.app?.send({ type: 'close' })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});
