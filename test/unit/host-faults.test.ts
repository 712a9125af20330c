/**
 * An unexpected error in one request (a bug, a failing backend) is logged without the request's
 * content and answered — 500 over HTTP; INTERNAL for a WebSocket call, or a close with 1011 when
 * the connection itself cannot go on — and the host serves the next request.
 */
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guardRequests, guardServer } from '../../electron/host/http-guard';
import type { KioskBackend } from '../../electron/contract/backends';
import type { KioskCore } from '../../electron/kiosk/session';
import { nextReply, startTestHost, stillServes, wsClient, INDEX_HTML, type TestHost } from './host-fixture';

const SECRET = 'K7Q2M9X4P1';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function host(backend?: (core: KioskCore) => KioskBackend): Promise<TestHost> {
  const h = await startTestHost(backend === undefined ? {} : { backend });
  cleanup.push(() => h.close());
  return h;
}

/** The core, with its methods replaced where a test says. */
function failing(core: KioskCore, over: Partial<KioskBackend>): KioskBackend {
  return {
    snapshot: over.snapshot ?? (() => core.snapshot()),
    send: over.send ?? ((i) => core.send(i)),
    onSnapshot: over.onSnapshot ?? ((l) => core.onSnapshot(l)),
    getSettings: over.getSettings ?? (() => core.getSettings()),
    updateSettings: over.updateSettings ?? ((p) => core.updateSettings(p)),
  };
}

describe('HTTP', () => {
  async function get(port: number, p: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
          let body = '';
          res.on('data', (d: Buffer) => (body += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        })
        .on('error', reject);
    });
  }

  it('a handler that throws or rejects is answered 500 and logged without the request; the next request is served', async () => {
    const log: string[] = [];
    const server = http.createServer(
      guardRequests((req, res) => {
        if (req.url?.startsWith('/throw')) throw new Error(`boom on ${req.url}`);
        if (req.url?.startsWith('/reject')) return Promise.reject(new TypeError(`bad ${req.url}`));
        res.end('fine');
      }, (l) => log.push(l)),
    );
    guardServer(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as net.AddressInfo).port;
    expect(await get(port, `/throw?pin=${SECRET}`)).toEqual({ status: 500, body: 'internal error' });
    expect(await get(port, '/')).toEqual({ status: 200, body: 'fine' });
    expect(await get(port, `/reject?pin=${SECRET}`)).toEqual({ status: 500, body: 'internal error' });
    expect(await get(port, '/')).toEqual({ status: 200, body: 'fine' });
    expect(log).toHaveLength(2);
    expect(log[0]).toMatch(/^browser host: a GET request failed: Error at /);
    expect(log[1]).toMatch(/^browser host: a GET request failed: TypeError at /);
    expect(log.join('\n')).not.toContain(SECRET);
  });

  it('the host answers 500 for a renderer file it cannot read, and goes on serving', async () => {
    const h = await host();
    // open(2) on a Unix socket fails with ENXIO, an error that is not "no such file".
    const sock = net.createServer();
    await new Promise<void>((r) => sock.listen(path.join(h.rendererDir, 'odd.sock'), r));
    cleanup.push(() => new Promise<void>((r) => sock.close(() => r())));
    const res = await fetch(`${h.origin}/odd.sock`);
    expect(res.status).toBe(500);
    expect(h.logs).toEqual([expect.stringMatching(/^browser host: reading a renderer file failed: Error ENXIO/)]);
    expect(await stillServes(h)).toEqual({ page: 200, body: INDEX_HTML, snapshot: 'top' });
  });
});

describe('WebSocket', () => {
  it('a call whose backend throws is answered INTERNAL, logged without its payload; the connection serves the next call', async () => {
    const h = await host((core) =>
      failing(core, {
        send: (intent) => {
          // A careless error message quoting what it was given: it must not reach the log or the client.
          throw new Error(`cannot take ${JSON.stringify(intent)}`);
        },
      }),
    );
    const c = await wsClient(h);
    await c.next(); // the first snapshot
    c.ws.send(JSON.stringify({ type: 'call', id: 1, method: 'send', intent: { type: 'submit-new-password', value: SECRET } }));
    const r = await nextReply(c);
    expect(r).toEqual({ type: 'reply', id: 1, ok: false, error: { code: 'INTERNAL', message: 'internal error' } });
    c.ws.send(JSON.stringify({ type: 'call', id: 2, method: 'getSnapshot' }));
    expect(await nextReply(c)).toMatchObject({ id: 2, ok: true, value: { screen: { id: 'top' } } });
    expect(h.logs).toEqual([expect.stringMatching(/^browser host: kiosk call send failed: Error at /)]);
    expect(h.logs.join('\n')).not.toContain(SECRET);
    c.ws.terminate();
  });

  it('a connection that cannot get its first snapshot is closed with 1011; the next one is served', async () => {
    let broken = true;
    const h = await host((core) =>
      failing(core, {
        snapshot: () => {
          if (broken) throw new RangeError('no snapshot');
          return core.snapshot();
        },
      }),
    );
    const c = await wsClient(h);
    expect(await c.closed).toBe(1011);
    expect(h.logs).toEqual([expect.stringMatching(/^browser host: kiosk WebSocket connection setup failed: RangeError at /)]);
    broken = false;
    expect(await stillServes(h)).toEqual({ page: 200, body: INDEX_HTML, snapshot: 'top' });
  });

  it('a pushed snapshot that cannot be sent closes that connection with 1011, not the others', async () => {
    let poison = false;
    const h = await host((core) =>
      failing(core, {
        onSnapshot: (listener) =>
          core.onSnapshot((s) => listener(poison ? ({ ...s, seq: 1n } as unknown as typeof s) : s)),
      }),
    );
    const a = await wsClient(h);
    await a.next();
    poison = true;
    h.core.send({ type: 'choose-service', service: 'admin' });
    expect(await a.closed).toBe(1011);
    expect(h.logs).toEqual([expect.stringMatching(/^browser host: kiosk WebSocket snapshot push failed: TypeError/)]);
    poison = false;
    expect(await stillServes(h)).toEqual({ page: 200, body: INDEX_HTML, snapshot: 'admin-menu' });
  });
});
