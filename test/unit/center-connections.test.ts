/**
 * Clients that stall: a center on a real port must close a connection that sends nothing, one that
 * stops in the middle of a request, and one that stops reading its answers, and must keep a kiosk
 * that is merely idle between customers or reads slowly.
 */
import net from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCenter, type CenterApp } from '../../electron/center/server';
import type { CenterStorage } from '../../electron/center/storage';
import { DEV_MASTER_KEY } from '../../native/jpki/reset-mac';
import { TOKENS, openTestStorage } from './center-fixture';

const LIMIT_MS = 400;
let app: CenterApp | undefined;
let storage: CenterStorage | undefined;
const warnings: string[] = [];

afterEach(async () => {
  await app?.close();
  await storage?.close();
  app = undefined;
  storage = undefined;
  warnings.length = 0;
});

async function listen(): Promise<number> {
  const opened = await openTestStorage();
  storage = opened;
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      warnings.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  app = buildCenter({
    storage: opened,
    masterKey: DEV_MASTER_KEY,
    kioskKeys: TOKENS.kiosks,
    appToken: TOKENS.app,
    adminToken: TOKENS.admin,
    requestTimeoutMs: LIMIT_MS,
    stallMs: LIMIT_MS,
    logger: { level: 'warn', stream },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as net.AddressInfo).port;
}

interface Probe {
  socket: net.Socket;
  /** Everything the center sent. */
  received: () => string;
  /** Milliseconds from connecting until the center closed the connection. */
  closed: Promise<number>;
}

function connect(port: number): Promise<Probe> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const t0 = performance.now();
    const closed = new Promise<number>((done) => socket.once('close', () => done(performance.now() - t0)));
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, received: () => Buffer.concat(chunks).toString('latin1'), closed }));
  });
}

const health = 'GET /health HTTP/1.1\r\nhost: center\r\n\r\n';
const answers = (text: string, status: string) => text.split(`HTTP/1.1 ${status}`).length - 1;

describe('stalled connections', () => {
  it('closes a connection that sends nothing, with a 408', async () => {
    const p = await connect(await listen());
    const ms = await p.closed;
    expect(ms).toBeGreaterThanOrEqual(LIMIT_MS * 0.9);
    expect(p.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a connection that stops in the middle of its headers or its body', async () => {
    const port = await listen();
    const headers = await connect(port);
    headers.socket.write('POST /v1/kiosk/check HTTP/1.1\r\nhost: center\r\n');
    const body = await connect(port);
    body.socket.write(`POST /v1/kiosk/check HTTP/1.1\r\nhost: center\r\nauthorization: Bearer ${TOKENS.kiosks['kiosk-01']}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"cardId":`);
    await Promise.all([headers.closed, body.closed]);
    expect(headers.received()).toMatch(/^HTTP\/1\.1 408/);
    expect(body.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a connection that stops reading its answers, and says so in the log', async () => {
    const p = await connect(await listen());
    p.socket.pause();
    // 100 OpenAPI documents (≈150 KB each) are more than loopback's socket buffers hold.
    p.socket.write('GET /openapi.json HTTP/1.1\r\nhost: center\r\n\r\n'.repeat(100));
    const said = () => warnings.map((l) => (JSON.parse(l) as { msg: string }).msg).includes('closed a connection that stopped reading its answers');
    const t0 = performance.now();
    while (!said() && performance.now() - t0 < 4000) await new Promise((r) => setTimeout(r, 50));
    expect(said()).toBe(true);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(LIMIT_MS * 0.9);
    // A paused socket does not see its end: reading again, the client finds the connection closed
    // and most of what it asked for never sent.
    p.socket.resume();
    await p.closed;
    expect(answers(p.received(), '200')).toBeLessThan(100);
  });

  it('keeps a kiosk that is idle between customers, and one that reads its answers slowly', async () => {
    const port = await listen();
    const idle = await connect(port);
    idle.socket.write(health);
    await new Promise((r) => setTimeout(r, LIMIT_MS * 3));
    idle.socket.write(health);
    const slow = await connect(port);
    slow.socket.pause();
    slow.socket.write('GET /openapi.json HTTP/1.1\r\nhost: center\r\n\r\n'.repeat(100));
    // Reads a little at a time, more often than the stall limit: always moving, never stalled.
    while (answers(slow.received(), '200') < 100) {
      slow.socket.resume();
      await new Promise((r) => setTimeout(r, 5));
      slow.socket.pause();
      await new Promise((r) => setTimeout(r, LIMIT_MS / 4));
      expect(slow.socket.destroyed).toBe(false);
    }
    expect(answers(idle.received(), '200')).toBe(2);
    expect(idle.socket.destroyed).toBe(false);
    expect(warnings).toEqual([]);
    idle.socket.destroy();
    slow.socket.destroy();
  });
});
