/**
 * The kiosk client against a real center, and against deliberately dead, stalled, slow, flaky and
 * lying servers: typed errors, retries only for idempotent calls, and never a MAC it did not get
 * whole and valid (so a bad center can never lead to a reset).
 */
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminCenterClient, AppCenterClient, CenterClientError, KioskCenterClient } from '../../electron/center/client';
import { startEmbeddedCenter, type EmbeddedCenter } from '../../electron/center/embedded';
import { DEV_MASTER_KEY, diversifyResetKey, resetMac } from '../../native/jpki/reset-mac';
import { IDENTITY_SIGN, openTestStorage } from './center-fixture';
import { cardReceipt } from '../fakes/receipts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function fakeServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void) {
  const seen: Array<{ url: string; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, seen };
}

/** For servers that never answer in time: a short timeout keeps the test quick. */
const fast = { timeoutMs: 150, retryDelayMs: 5 } as const;
/** For servers that do answer: a generous timeout, so a busy machine cannot turn an answer into a TIMEOUT. */
const patient = { timeoutMs: 10_000, retryDelayMs: 5 } as const;
const TOKEN = 'x'.repeat(20);

async function expectCenterError(p: Promise<unknown>, code: string, more: Record<string, unknown> = {}) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CenterClientError);
  expect({ code: (err as CenterClientError).code, ...(err as CenterClientError).details }).toMatchObject({ code, ...more });
  return err as CenterClientError;
}

describe('kiosk client against a real center', () => {
  let center: EmbeddedCenter;
  const start = async () => {
    center = await startEmbeddedCenter({ storage: await openTestStorage(), masterKey: DEV_MASTER_KEY });
    cleanups.push(() => center.close());
    const kiosk = new KioskCenterClient({ baseUrl: center.url, token: center.kioskKeys['kiosk-01'] ?? '' });
    const app = new AppCenterClient({ baseUrl: center.url, token: center.appToken });
    const admin = new AdminCenterClient({ baseUrl: center.url, token: center.adminToken });
    return { kiosk, app, admin };
  };

  it('checks, authorizes and confirms; a repeated confirm is a replay', async () => {
    const { kiosk, app } = await start();
    await expect(kiosk.check('0A1B2C', 'sign')).resolves.toMatchObject({ status: 'none', reason: 'no-booking' });
    const receipt = await app.book({ cardId: '0A1B2C', kind: 'sign', identity: IDENTITY_SIGN });
    await expect(kiosk.check('0A1B2C', 'sign')).resolves.toMatchObject({ status: 'usable', bookingId: receipt.bookingId, expiresAt: receipt.expiresAt });
    const challenge = Buffer.from('0102030405060708', 'hex');
    const a = await kiosk.authorize({ cardId: '0A1B2C', kind: 'sign', challenge, receipt: cardReceipt('0A1B2C', 'sign', challenge), requestId: 'kiosk-01:0001' });
    expect(a.mac.equals(resetMac(diversifyResetKey(DEV_MASTER_KEY, '0A1B2C'), 'sign', challenge))).toBe(true);
    await expect(kiosk.confirm({ bookingId: a.bookingId, requestId: 'kiosk-01:0001' })).resolves.toMatchObject({ replayed: false });
    await expect(kiosk.confirm({ bookingId: a.bookingId, requestId: 'kiosk-01:0001' })).resolves.toMatchObject({ replayed: true });
    await expect(kiosk.check('0A1B2C', 'sign')).resolves.toMatchObject({ status: 'used' });
  });

  it('turns refusals into REFUSED with the reason, and a wrong token into UNAUTHORIZED', async () => {
    const { kiosk, app, admin } = await start();
    await expectCenterError(kiosk.authorize({ cardId: '0A1B2C', kind: 'auth', challenge: Buffer.alloc(8, 1), receipt: cardReceipt('0A1B2C', 'auth', Buffer.alloc(8, 1)), requestId: 'kiosk-01:0002' }), 'REFUSED', { reason: 'no-booking' });
    await expectCenterError(kiosk.confirm({ bookingId: `bk_${'0'.repeat(32)}`, requestId: 'kiosk-01:0003' }), 'REFUSED', { reason: 'no-booking', status: 404 });
    const now = (await admin.clock()).now;
    await admin.setMaintenance([{ from: now - 1000, until: now + 60_000 }]);
    await expectCenterError(kiosk.check('0A1B2C', 'auth'), 'REFUSED', { reason: 'maintenance', until: now + 60_000 });
    await expectCenterError(app.book({ cardId: '0A1B2C', kind: 'sign', identity: IDENTITY_SIGN }), 'REFUSED', { reason: 'maintenance' });
    const intruder = new KioskCenterClient({ baseUrl: center.url, token: center.appToken });
    await expectCenterError(intruder.check('0A1B2C', 'auth'), 'UNAUTHORIZED', { status: 401, attempts: 1 });
  });
});

describe('kiosk client against a bad center', () => {
  it('a closed port is UNREACHABLE after the bounded retries', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const kiosk = new KioskCenterClient({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN, ...fast });
    await expectCenterError(kiosk.check('0A1B2C', 'sign'), 'UNREACHABLE', { attempts: 3 });
  });

  it('a center that accepts but never answers is a TIMEOUT; non-idempotent app calls are tried once', async () => {
    const { url, seen } = await fakeServer(() => {
      /* never answers */
    });
    const kiosk = new KioskCenterClient({ baseUrl: url, token: TOKEN, ...fast });
    await expectCenterError(kiosk.check('0A1B2C', 'sign'), 'TIMEOUT', { attempts: 3 });
    expect(seen).toHaveLength(3);
    const app = new AppCenterClient({ baseUrl: url, token: TOKEN, ...fast });
    await expectCenterError(app.faceCheck('0A1B2C', false), 'TIMEOUT', { attempts: 1 });
    await expectCenterError(app.book({ cardId: '0A1B2C', kind: 'sign', identity: IDENTITY_SIGN }), 'TIMEOUT', { attempts: 1 });
    expect(seen).toHaveLength(5);
  });

  it('a center too slow to answer never yields a MAC, and retries repeat the very same authorize request', async () => {
    const goodAnswer = JSON.stringify({ bookingId: `bk_${'a'.repeat(32)}`, mac: 'A'.repeat(32), authorizedAt: 1, replayed: false });
    const { url, seen } = await fakeServer((_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(goodAnswer), 400);
    });
    const kiosk = new KioskCenterClient({ baseUrl: url, token: TOKEN, ...fast });
    await expectCenterError(kiosk.authorize({ cardId: '0A1B2C', kind: 'sign', challenge: Buffer.alloc(8, 7), receipt: cardReceipt('0A1B2C', 'sign', Buffer.alloc(8, 7)), requestId: 'kiosk-01:0009' }), 'TIMEOUT', { attempts: 3 });
    expect(new Set(seen.map((s) => s.body)).size).toBe(1);
    expect(JSON.parse(seen[0]?.body ?? '{}')).toMatchObject({ requestId: 'kiosk-01:0009', challenge: '0707070707070707' });
  });

  it('a stall in the middle of the body is a TIMEOUT too', async () => {
    const { url } = await fakeServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"bookingId":"bk_');
    });
    const kiosk = new KioskCenterClient({ baseUrl: url, token: TOKEN, ...fast, retries: 0 });
    await expectCenterError(kiosk.authorize({ cardId: '0A1B2C', kind: 'sign', challenge: Buffer.alloc(8, 1), receipt: cardReceipt('0A1B2C', 'sign', Buffer.alloc(8, 1)), requestId: 'kiosk-01:0010' }), 'TIMEOUT');
  });

  it('a connection cut mid-answer is UNREACHABLE, and a retry that gets through succeeds', async () => {
    let n = 0;
    const { url, seen } = await fakeServer((_req, res) => {
      n++;
      if (n === 1) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
        res.write('{"status":');
        res.socket?.destroy();
        return;
      }
      if (n === 2) {
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal","message":"boom","requestId":"r"}');
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'usable', reason: 'usable', cardId: '0A1B2C', kind: 'sign', bookingId: `bk_${'b'.repeat(32)}`, expiresAt: 5, centerNow: 1 }));
    });
    const kiosk = new KioskCenterClient({ baseUrl: url, token: TOKEN, ...patient });
    await expect(kiosk.check('0A1B2C', 'sign')).resolves.toMatchObject({ status: 'usable' });
    expect(seen).toHaveLength(3);
    const once = new KioskCenterClient({ baseUrl: url, token: TOKEN, ...patient, retries: 0 });
    n = 0;
    await expectCenterError(once.check('0A1B2C', 'sign'), 'UNREACHABLE', { attempts: 1 });
  });

  it('a 5xx is retried for idempotent calls only', async () => {
    const { url, seen } = await fakeServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal","message":"boom","requestId":"r"}');
    });
    const kiosk = new KioskCenterClient({ baseUrl: url, token: TOKEN, ...patient });
    await expectCenterError(kiosk.confirm({ bookingId: `bk_${'a'.repeat(32)}`, requestId: 'kiosk-01:0011' }), 'PROTOCOL', { status: 500, attempts: 3 });
    const app = new AppCenterClient({ baseUrl: url, token: TOKEN, ...patient });
    await expectCenterError(app.book({ cardId: '0A1B2C', kind: 'auth', identity: { ...IDENTITY_SIGN, faceCheck: 'not-required' } }), 'PROTOCOL', { attempts: 1 });
    expect(seen).toHaveLength(4);
  });

  it.each([
    ['a MAC of the wrong length', JSON.stringify({ bookingId: `bk_${'a'.repeat(32)}`, mac: 'ABCD', authorizedAt: 1, replayed: false })],
    ['a missing field', JSON.stringify({ bookingId: `bk_${'a'.repeat(32)}`, authorizedAt: 1, replayed: false })],
    ['not JSON', '<html>proxy error</html>'],
    ['an empty body', ''],
  ])('an answer with %s is PROTOCOL, not a MAC, and is not retried', async (_what, answer) => {
    const { url, seen } = await fakeServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(answer));
    const kiosk = new KioskCenterClient({ baseUrl: url, token: TOKEN, ...patient });
    await expectCenterError(kiosk.authorize({ cardId: '0A1B2C', kind: 'sign', challenge: Buffer.alloc(8, 1), receipt: cardReceipt('0A1B2C', 'sign', Buffer.alloc(8, 1)), requestId: 'kiosk-01:0012' }), 'PROTOCOL', { attempts: 1 });
    expect(seen).toHaveLength(1);
  });
});
