/**
 * What only the PostgreSQL storage has: its schema versions, centers on several machines sharing one
 * database (their writes to one card serialize), connection failures, and `--db postgres://…`.
 * Runs in the center-postgres group only (the rest of the center's tests run there too).
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { describeCenterDb, isPostgresUrl, openCenterStorage } from '../../electron/center/open-storage';
import { POSTGRES_MIGRATIONS } from '../../electron/center/postgres-migrations';
import { openPostgresStorage, type PostgresStorage } from '../../electron/center/postgres-storage';
import { decideAdminBooking } from '../../electron/center/rules';
import { StorageError, type CenterStorage, type Decision } from '../../electron/center/storage';
import { CENTER_BACKEND, IDENTITY_SIGN, centerDbIn, dbRows, makeCenter, tempDir, type Fixture } from './center-fixture';
import { receiptHex } from '../fakes/receipts';

if (CENTER_BACKEND !== 'postgres') throw new Error('center-postgres.test.ts runs in the center-postgres test group (CENTER_TEST_DB=postgres)');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bookingId = (c: string) => `bk_${c.repeat(32)}`;

const open: Array<CenterStorage | Fixture> = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
async function storageOn(db: string, options?: { maxConnections?: number }): Promise<PostgresStorage> {
  const st = await openPostgresStorage(db, options);
  open.push(st);
  return st;
}

async function exec(db: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: db });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

describe('PostgreSQL schema', () => {
  it('records its schema version, and refuses a database written by a newer center, leaving it as it was', async () => {
    const db = await centerDbIn();
    const st = await storageOn(db);
    expect(await st.schemaVersion()).toBe(POSTGRES_MIGRATIONS.at(-1)?.version);
    await st.updateCard('0A1B', (card) => decideAdminBooking(card, 'sign', { now: 5, completedAt: 5, newId: bookingId('a') }));
    await exec(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'now')");
    const error = await openPostgresStorage(db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).code).toBe('SCHEMA_TOO_NEW');
    expect(await dbRows(db, 'SELECT version FROM schema_migrations ORDER BY version')).toEqual([...POSTGRES_MIGRATIONS.map((m) => ({ version: m.version })), { version: 999 }]);
    expect(await dbRows(db, 'SELECT id, state FROM bookings')).toEqual([{ id: bookingId('a'), state: 'booked' }]);
  });

  it('centers starting together on an empty database migrate it once', async () => {
    const db = await centerDbIn();
    await Promise.all(Array.from({ length: 4 }, () => storageOn(db)));
    expect(await dbRows(db, 'SELECT version FROM schema_migrations ORDER BY version')).toEqual(POSTGRES_MIGRATIONS.map((m) => ({ version: m.version })));
  });
});

describe('centers sharing one PostgreSQL database', () => {
  it('updates of one card from two centers serialize: each sees the one before it, none is lost', async () => {
    const db = await centerDbIn();
    const [a, b] = [await storageOn(db), await storageOn(db)];
    // Read, add one, write: lost updates would show as two decisions seeing the same count.
    const bump = (st: CenterStorage) =>
      st.updateCard('0A1B', (card): Decision<number> => ({
        result: card.lock.consecutiveFailures,
        changes: [{ type: 'set-lock', lock: { consecutiveFailures: card.lock.consecutiveFailures + 1, lockedAt: null } }],
      }));
    const seen = await Promise.all(Array.from({ length: 60 }, (_, i) => bump(i % 2 ? a : b)));
    expect(seen.sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect((await b.readCard('0A1B')).lock.consecutiveFailures).toBe(60);
  });

  it('two kiosks at two centers authorize the same booking at once: one wins, the other is told it is used', async () => {
    const dir = tempDir();
    const one = await makeCenter({ dir });
    const two = await makeCenter({ dir });
    open.push(one, two);
    const cards = Array.from({ length: 12 }, (_, i) => (0x0a0000 + i).toString(16).toUpperCase());
    for (const cardId of cards) expect((await one.post('/v1/app/bookings', 'app', { cardId, kind: 'sign', identity: IDENTITY_SIGN })).status).toBe(201);
    const authorize = (fx: Fixture, kiosk: 'kiosk-01' | 'kiosk-02', cardId: string, challenge: string) =>
      fx.post('/v1/kiosk/authorize', kiosk, { cardId, kind: 'sign', challenge, receipt: receiptHex(cardId, 'sign', challenge), requestId: `${kiosk}-${cardId}` });
    const answers = await Promise.all(
      cards.map(async (cardId) => {
        const [x, y] = await Promise.all([authorize(one, 'kiosk-01', cardId, '0011223344556601'), authorize(two, 'kiosk-02', cardId, '0011223344556602')]);
        return [x.status, y.status].sort().join(' ') + ' ' + [x.body.reason, y.body.reason].filter(Boolean).join();
      }),
    );
    expect(answers).toEqual(cards.map(() => '200 409 used'));
    const rows = await dbRows(one.dbPath, "SELECT COUNT(*) AS n FROM bookings WHERE state = 'authorized'");
    expect(rows).toEqual([{ n: cards.length }]);
  });

  it('a write whose change fails is rolled back whole, and its connection serves the next one', async () => {
    const db = await centerDbIn();
    const st = await storageOn(db, { maxConnections: 1 });
    for (const c of ['1', '2']) {
      const failing = st.updateCard('0A1B', (card) => {
        const added = decideAdminBooking(card, 'sign', { now: 5, completedAt: 5, newId: bookingId(c) });
        // The booking is inserted, then a transition of a booking that does not exist fails.
        return { ...added, changes: [...added.changes, { type: 'transition', bookingId: bookingId('f'), from: 'booked', to: 'expired', at: 6 }] };
      });
      await expect(failing).rejects.toMatchObject({ code: 'CONFLICT' });
    }
    expect(await dbRows(db, 'SELECT id FROM bookings')).toEqual([]);
    await st.updateCard('0A1B', (card) => decideAdminBooking(card, 'auth', { now: 7, completedAt: 7, newId: bookingId('3') }));
    expect((await st.readCard('0A1B')).latest.auth?.id).toBe(bookingId('3'));
  });
});

describe('connecting', () => {
  const base = inject('centerPostgresBase');
  const password = decodeURIComponent(new URL(base).password);

  it('a wrong password or a closed port is UNREACHABLE, and the message names the server but no password', async () => {
    const wrong = new URL(base + 'postgres');
    wrong.password = 'not-the-password-4711';
    const refused = new URL(base + 'postgres');
    refused.port = String(await closedPort());
    for (const url of [wrong.toString(), refused.toString()]) {
      const error = await openCenterStorage(url).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageError);
      expect((error as StorageError).code).toBe('UNREACHABLE');
      const message = (error as StorageError).message;
      expect(message).toContain(`cannot open the center's PostgreSQL database postgres://kiosk_sim@127.0.0.1:${new URL(url).port}/postgres`);
      expect(message).not.toContain('not-the-password-4711');
      expect(message).not.toContain(password);
    }
  });

  it('`npm run center -- --db postgres://…` keeps its bookings there and prints the database without its password', { timeout: 30_000 }, async () => {
    const db = await centerDbIn();
    const run = (args: string[]) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'electron/center/main.ts'), '--port', '0', ...args], {
        cwd: root,
        env: { ...process.env, KIOSK_SIM_ADMIN_TOKEN: 'pg-admin-token-000001', KIOSK_SIM_CENTER_LOG: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      return { child, exited, out: () => out, err: () => err };
    };
    const center = run(['--db', db]);
    const url = await new Promise<string>((resolve, reject) => {
      const t = setInterval(() => {
        const m = /listening on (http:\/\/\S+) \(db (\S+)\)/.exec(center.out());
        if (m?.[1]) {
          clearInterval(t);
          expect(m[2]).toBe(describeCenterDb(db));
          resolve(m[1]);
        }
      }, 20);
      void center.exited.then((code) => {
        clearInterval(t);
        reject(new Error(`center exited (${code}): ${center.err()}`));
      });
    });
    try {
      const res = await fetch(`${url}/v1/admin/bookings`, {
        method: 'POST',
        headers: { authorization: 'Bearer pg-admin-token-000001', 'content-type': 'application/json' },
        body: JSON.stringify({ cardId: '0C0FFE', kind: 'auth' }),
      });
      expect(res.status).toBe(201);
      expect(await dbRows(db, 'SELECT card_id, kind, state, via FROM bookings')).toEqual([{ card_id: '0C0FFE', kind: 'auth', state: 'booked', via: 'admin' }]);
      expect(center.out() + center.err()).not.toContain(password);
    } finally {
      center.child.kill('SIGTERM');
      await center.exited;
    }

    const wrong = new URL(db);
    wrong.password = 'not-the-password-4711';
    const refused = run(['--db', wrong.toString()]);
    expect(await refused.exited).toBe(1);
    expect(refused.err()).toContain("cannot open the center's PostgreSQL database postgres://kiosk_sim@127.0.0.1");
    expect(refused.out() + refused.err()).not.toContain('not-the-password-4711');
  });
});

describe('choosing the storage', () => {
  it('postgres:// and postgresql:// URLs are PostgreSQL, anything else a SQLite file; URLs are described without their password', () => {
    expect(['postgres://h/db', 'postgresql://u@h/db', 'POSTGRES://h/db'].map(isPostgresUrl)).toEqual([true, true, true]);
    expect(['center.sqlite', './postgres/center.sqlite', '/var/lib/postgres://x', 'postgres:/h/db'].map(isPostgresUrl)).toEqual([false, false, false, false]);
    expect(describeCenterDb('postgres://room:s3cret@db.lab:5433/center?sslpassword=k3y&application_name=kiosk')).toBe('postgres://room@db.lab:5433/center?application_name=kiosk');
    expect(describeCenterDb('/tmp/center.sqlite')).toBe('/tmp/center.sqlite');
  });
});
