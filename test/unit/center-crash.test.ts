/**
 * Crash test: the center runs as its own process (what `npm run center` runs), a stream of
 * confirms and bookings flows in, and the process is killed with SIGKILL mid-stream. Restarted on
 * the same file, it must hold every acknowledged confirm as used (never usable again), every
 * acknowledged booking, and no booking used twice; confirms that were in flight can be repeated
 * with their request id and are then used exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { IDENTITY_AUTH, centerDbIn, dbRows, tempDir } from './center-fixture';
import { receiptHex } from '../fakes/receipts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ENV = {
  KIOSK_SIM_KIOSK_KEYS: 'kiosk-01=crash-kiosk-token-0001,kiosk-02=crash-kiosk-token-0002',
  KIOSK_SIM_APP_TOKEN: 'crash-app-token-00001',
  KIOSK_SIM_ADMIN_TOKEN: 'crash-admin-token-0001',
  KIOSK_SIM_CENTER_LOG: 'warn',
};
const AUTH = {
  kiosk: 'Bearer crash-kiosk-token-0001',
  app: 'Bearer crash-app-token-00001',
  admin: 'Bearer crash-admin-token-0001',
};

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Starts electron/center/main.ts in a single node process (no npm/tsx wrapper, so the pid is the server's). */
async function startCenter(dbPath: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'electron/center/main.ts'), '--port', '0', '--db', dbPath], {
    cwd: root,
    env: { ...process.env, ...ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`center exited (${code}) before listening: ${stderr}`)));
  });
  return { url, child };
}

async function call(url: string, auth: string, method: string, body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: { authorization: auth, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('crash: kill -9 during a stream of confirms', () => {
  it('loses nothing acknowledged and uses nothing twice', { timeout: 120_000 }, async () => {
    const dbPath = await centerDbIn(tempDir('center-crash-'));
    let { url, child } = await startCenter(dbPath);

    // 600 bookings, all authorized by kiosk-01.
    const N = 600;
    const bookings: Array<{ cardId: string; bookingId: string }> = [];
    for (let i = 0; i < N; i++) {
      const cardId = (0xc00000 + i).toString(16).toUpperCase();
      await call(`${url}/v1/admin/bookings`, AUTH.admin, 'POST', { cardId, kind: 'sign' });
      const a = await call(`${url}/v1/kiosk/authorize`, AUTH.kiosk, 'POST', { cardId, kind: 'sign', challenge: '0011223344556677', receipt: receiptHex(cardId, 'sign', '0011223344556677'), requestId: `auth-${i}-xxxx` });
      expect(a.status).toBe(200);
      bookings.push({ cardId, bookingId: String(a.body.bookingId) });
    }

    // Stream confirms (and app bookings alongside); kill -9 once a third of them are acknowledged.
    const acked = new Set<number>();
    const inFlight = new Set<number>();
    const bookedAcked: string[] = [];
    let killed = false;
    let next = 0;
    const kill = () => {
      if (killed) return;
      killed = true;
      child.kill('SIGKILL');
    };
    const confirmer = async () => {
      while (!killed && next < N) {
        const i = next++;
        inFlight.add(i);
        try {
          const r = await call(`${url}/v1/kiosk/confirm`, AUTH.kiosk, 'POST', { bookingId: bookings[i]?.bookingId, requestId: `confirm-${i}-xxxx` });
          if (r.status === 200) acked.add(i);
          inFlight.delete(i);
        } catch {
          /* the process died under this request: it stays in flight */
        }
      }
    };
    let b = 0;
    const booker = async () => {
      while (!killed) {
        const cardId = (0xb00000 + b++).toString(16).toUpperCase();
        try {
          const r = await call(`${url}/v1/app/bookings`, AUTH.app, 'POST', { cardId, kind: 'auth', identity: IDENTITY_AUTH });
          if (r.status === 201) bookedAcked.push(String(r.body.bookingId));
        } catch {
          /* died mid-request */
        }
      }
    };
    // The kill comes from a timer, not from a response, so it lands in the middle of requests.
    const killer = new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (acked.size >= N / 3) {
          clearInterval(t);
          kill();
          resolve();
        }
      }, 1);
    });
    await Promise.all([...Array.from({ length: 16 }, confirmer), booker(), booker(), killer]);
    await new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
    expect(child.signalCode).toBe('SIGKILL');
    expect(acked.size).toBeGreaterThanOrEqual(N / 3);
    expect(bookedAcked.length).toBeGreaterThan(0);

    ({ url, child } = await startCenter(dbPath));
    // Every acknowledged confirm is still used: the card reads `used`, never usable again.
    for (const i of acked) {
      const c = await call(`${url}/v1/kiosk/check`, AUTH.kiosk, 'POST', { cardId: bookings[i]?.cardId, kind: 'sign' });
      expect(c.body.status, `acked confirm ${i}`).toBe('used');
      const again = await call(`${url}/v1/kiosk/confirm`, AUTH.kiosk, 'POST', { bookingId: bookings[i]?.bookingId, requestId: `confirm-${i}-xxxx` });
      expect(again.body).toMatchObject({ state: 'used', replayed: true });
    }
    // Confirms cut off in flight: the kiosk repeats them from its journal; each lands exactly once.
    for (const i of inFlight) {
      const again = await call(`${url}/v1/kiosk/confirm`, AUTH.kiosk, 'POST', { bookingId: bookings[i]?.bookingId, requestId: `confirm-${i}-xxxx` });
      expect(again.status).toBe(200);
    }
    // Authorized bookings never authorize again, crash or not.
    for (const i of [0, N - 1]) {
      const a = await call(`${url}/v1/kiosk/authorize`, AUTH.kiosk, 'POST', { cardId: bookings[i]?.cardId, kind: 'sign', challenge: '8899AABBCCDDEEFF', receipt: receiptHex(bookings[i]?.cardId ?? '', 'sign', '8899AABBCCDDEEFF'), requestId: `auth-again-${i}` });
      expect(a.body.reason).toBe('used');
    }
    // Every acknowledged booking is there.
    const list = await call(`${url}/v1/admin/bookings?limit=9999`, AUTH.admin, 'GET');
    const ids = new Set((list.body.bookings as Array<{ bookingId: string }>).map((x) => x.bookingId));
    for (const id of bookedAcked) expect(ids.has(id), `acked booking ${id}`).toBe(true);
    child.kill('SIGTERM');
    await new Promise<void>((r) => child.once('exit', () => r()));

    const counts = (await dbRows(dbPath, "SELECT state, COUNT(*) AS n FROM bookings WHERE kind = 'sign' GROUP BY state")) as Array<{ state: string; n: number }>;
    // Each used row holds the one confirm that used it (the UPDATE only moves authorized → used).
    const uses = (await dbRows(dbPath, "SELECT id, use_request_id AS req FROM bookings WHERE state = 'used'")) as Array<{ id: string; req: string }>;
    const used = counts.find((c) => c.state === 'used')?.n ?? 0;
    const authorized = counts.find((c) => c.state === 'authorized')?.n ?? 0;
    expect(used + authorized).toBe(N);
    expect(used).toBe(acked.size + inFlight.size);
    const confirmOf = new Map(bookings.map((b, i) => [b.bookingId, `confirm-${i}-xxxx`]));
    for (const u of uses) expect(u.req, u.id).toBe(confirmOf.get(u.id));
  });
});
