/**
 * 50 kiosks race over real HTTP on 127.0.0.1: first to authorize the same bookings, then 10 000
 * confirms of the same and of different bookings, with repeated and fresh request ids. Afterwards,
 * read straight from the database (SQLite file or PostgreSQL): every booking authorized once and used exactly once, no
 * acknowledged confirm lost.
 */
import { describe, expect, it } from 'vitest';
import { startEmbeddedCenter } from '../../electron/center/embedded';
import { openCenterStorage } from '../../electron/center/open-storage';
import { DEV_MASTER_KEY } from '../../native/jpki/reset-mac';
import { centerDbIn, dbRows } from './center-fixture';
import { prng } from './prng';
import { receiptHex } from '../fakes/receipts';

const KIOSKS = 50;
const BOOKINGS = 200;
const CONFIRMS = 10_000;


describe('concurrency: 50 kiosks, 10 000 confirms', () => {
  it('each booking is authorized once and used exactly once; none is lost', { timeout: 120_000 }, async () => {
    const dbPath = await centerDbIn();
    const kioskKeys = Object.fromEntries(Array.from({ length: KIOSKS }, (_, i) => [`kiosk-${i}`, `token-of-kiosk-${i}-xxxxxxxx`]));
    const center = await startEmbeddedCenter({ storage: await openCenterStorage(dbPath), masterKey: DEV_MASTER_KEY, kioskKeys });
    const post = async (who: string, url: string, body: unknown) => {
      const res = await fetch(center.url + url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${who === 'admin' ? center.adminToken : kioskKeys[who]}` },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const rand = prng(42);
    const kioskName = (i: number) => `kiosk-${i}`;

    // Bookings on BOOKINGS cards, half sign and half auth.
    const cards = Array.from({ length: BOOKINGS }, (_, i) => ({ cardId: (0x100000 + i).toString(16).toUpperCase(), kind: i % 2 ? 'auth' : 'sign' }));
    for (const c of cards) expect((await post('admin', '/v1/admin/bookings', c)).status).toBe(201);

    // Race 1: five kiosks at once try to authorize each booking, each with a receipt of the same
    // card moment (challenge number 1): exactly one wins, the receipt proves nothing against it.
    const authTasks = cards.flatMap((c, i) =>
      Array.from({ length: 5 }, (_, j) => {
        const k = kioskName((i * 7 + j * 11) % KIOSKS);
        const challenge = '00112233445566' + (j * 10).toString().padStart(2, '0');
        const receipt = receiptHex(c.cardId, c.kind as 'sign' | 'auth', challenge);
        return () => post(k, '/v1/kiosk/authorize', { ...c, challenge, receipt, requestId: `${k}:auth:${i}` }).then((r) => ({ ...r, k, i }));
      }),
    );
    const authResults = await runWithConcurrency(authTasks, KIOSKS);
    const owner = new Map<number, { kiosk: string; bookingId: string }>();
    for (const r of authResults) {
      expect(r.status === 200 || r.status === 409, JSON.stringify(r.body)).toBe(true);
      if (r.status === 200) {
        expect(owner.has(r.i), `booking ${r.i} authorized twice`).toBe(false);
        owner.set(r.i, { kiosk: r.k, bookingId: String(r.body.bookingId) });
      } else expect(r.body.reason).toBe('used');
    }
    expect(owner.size).toBe(BOOKINGS);

    // Race 2: 10 000 confirms. Half aimed at a booking the kiosk authorized (racing itself with up
    // to three request ids), half at anyone's booking (the same bookings, from other kiosks).
    const byKiosk = new Map<string, number[]>();
    for (const [i, o] of owner) byKiosk.set(o.kiosk, [...(byKiosk.get(o.kiosk) ?? []), i]);
    const confirmTasks = Array.from({ length: CONFIRMS }, (_, n) => {
      const kiosk = kioskName(n % KIOSKS);
      const mine = byKiosk.get(kiosk) ?? [];
      const i = mine.length > 0 && rand() < 0.5 ? (mine[Math.floor(rand() * mine.length)] as number) : Math.floor(rand() * BOOKINGS);
      const requestId = `${kiosk}:confirm:${i}:${Math.floor(rand() * 3)}`;
      const bookingId = owner.get(i)?.bookingId ?? '';
      return () => post(kiosk, '/v1/kiosk/confirm', { bookingId, requestId }).then((r) => ({ ...r, kiosk, i, requestId }));
    });
    const results = await runWithConcurrency(confirmTasks, KIOSKS);
    await center.close();

    const winners = new Map<number, { kiosk: string; requestId: string; usedAt: unknown }>();
    let replays = 0;
    for (const r of results) {
      expect([200, 409], JSON.stringify(r.body)).toContain(r.status);
      if (r.status !== 200) {
        expect(['used', 'not-authorized']).toContain(r.body.reason);
        continue;
      }
      expect(r.kiosk).toBe(owner.get(r.i)?.kiosk);
      if (r.body.replayed === false) {
        expect(winners.has(r.i), `booking ${r.i} used twice`).toBe(false);
        winners.set(r.i, { kiosk: r.kiosk, requestId: r.requestId, usedAt: r.body.usedAt });
      } else replays++;
    }
    // Every replay names the winning request and its time.
    for (const r of results.filter((x) => x.status === 200 && x.body.replayed === true)) {
      expect({ requestId: r.requestId, usedAt: r.body.usedAt }).toEqual({ requestId: winners.get(r.i)?.requestId, usedAt: winners.get(r.i)?.usedAt });
    }
    expect(replays).toBeGreaterThan(0);

    // The database, read after the center closed: what was acknowledged is there, once.
    const rows = (await dbRows(dbPath, 'SELECT id, state, use_kiosk_id AS kiosk, use_request_id AS req FROM bookings')) as Array<{ id: string; state: string; kiosk: string | null; req: string | null }>;
    const authorized = (await dbRows(dbPath, 'SELECT COUNT(*) AS n FROM bookings WHERE authorized_at IS NOT NULL'))[0]?.n;
    expect(rows).toHaveLength(BOOKINGS);
    expect(authorized).toBe(BOOKINGS);
    for (const [i, w] of winners) {
      const row = rows.find((r) => r.id === owner.get(i)?.bookingId);
      expect(row).toEqual({ id: owner.get(i)?.bookingId, state: 'used', kiosk: w.kiosk, req: w.requestId });
    }
    const usedRows = rows.filter((r) => r.state === 'used');
    expect(usedRows).toHaveLength(winners.size);
    // With 5 000 confirms aimed at 200 bookings by their own kiosks, every booking gets used.
    expect(winners.size).toBe(BOOKINGS);
  });
});

async function runWithConcurrency<T>(tasks: Array<() => Promise<T>>, concurrency: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tasks.length) {
        const n = next++;
        results[n] = await (tasks[n] as () => Promise<T>)();
      }
    }),
  );
  return results;
}
