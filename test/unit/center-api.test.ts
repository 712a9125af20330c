import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openApiText } from '../../electron/center/main';
import { buildOpenApi } from '../../electron/center/openapi';
import { decideAdminBooking, decideFaceCheck } from '../../electron/center/rules';
import { ROUTES } from '../../electron/center/schemas';
import { buildCenter, CenterConfigError } from '../../electron/center/server';
import { MIGRATIONS, migrate } from '../../electron/center/sqlite-migrations';
import { openCenterStorage } from '../../electron/center/open-storage';
import { openSqliteStorage, type SqliteStorage } from '../../electron/center/sqlite-storage';
import { StorageError } from '../../electron/center/storage';
import { DEV_MASTER_KEY } from '../../native/jpki/reset-mac';
import { IDENTITY_AUTH, IDENTITY_SIGN, TOKENS, centerDbIn, dbRows, itOnSqlite, makeCenter, openTestStorage, rawConnection, tempDir, type Fixture } from './center-fixture';
import { receiptHex } from '../fakes/receipts';

const here = path.dirname(new URL(import.meta.url).pathname);
const sample = (url: string) => url.replace(':cardId', '0A1B2C').replace(':bookingId', `bk_${'a'.repeat(32)}`);

let fx: Fixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('authentication', () => {
  const authed = Object.entries(ROUTES).filter(([, r]) => r.auth !== 'none');
  const otherToken = (auth: string) => (auth === 'admin' ? TOKENS.app : TOKENS.admin);

  it.each(authed)('%s answers 401 without, with a wrong, or with another client’s token', async (_name, r) => {
    fx = await makeCenter();
    for (const authorization of [undefined, 'Bearer not-a-real-token-at-all', `Bearer ${otherToken(r.auth)}`, `Basic ${TOKENS.admin}`, 'Bearer ']) {
      const res = await fx.app.inject({
        method: r.method,
        url: sample(r.url),
        headers: { ...(authorization !== undefined && { authorization }), 'content-type': 'application/json' },
        ...(r.method !== 'GET' && { payload: '{}' }),
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: 'unauthorized' });
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
  });

  it('kiosk tokens are per kiosk: a kiosk token is not an app or admin token', async () => {
    fx = await makeCenter();
    const res = await fx.app.inject({ method: 'GET', url: '/v1/admin/clock', headers: { authorization: `Bearer ${TOKENS.kiosks['kiosk-01']}` } });
    expect(res.statusCode).toBe(401);
  });

  it('on one keep-alive connection, every request is authenticated by its own header', async () => {
    fx = await makeCenter();
    const c = await rawConnection(await fx.app.listen({ host: '127.0.0.1', port: 0 }));
    // One request at a time on the same socket; the answer's status is all this test reads.
    const send = async (authorization: string | undefined) => {
      const body = JSON.stringify({ cardId: '0A1B2C', kind: 'sign' });
      const auth = authorization === undefined ? '' : `authorization: ${authorization}\r\n`;
      c.write(`POST /v1/kiosk/check HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n${auth}\r\n${body}`);
      return (await c.next()).status;
    };
    try {
      const kiosk = `Bearer ${TOKENS.kiosks['kiosk-01']}`;
      expect(await send(kiosk)).toBe(200);
      expect(await send(kiosk)).toBe(200);
      expect(await send('Bearer not-a-real-token-at-all')).toBe(401);
      expect(await send(undefined)).toBe(401);
      expect(await send(`Bearer ${TOKENS.admin}`)).toBe(401);
      expect(await send(kiosk)).toBe(200);
    } finally {
      c.socket.destroy();
    }
  });

  it('refuses weak or duplicated tokens and a wrong-size master key at start', () => {
    const storage = openSqliteStorage(':memory:');
    const base = { storage, masterKey: DEV_MASTER_KEY, kioskKeys: TOKENS.kiosks, appToken: TOKENS.app, adminToken: TOKENS.admin };
    expect(() => buildCenter({ ...base, adminToken: 'short' })).toThrow(CenterConfigError);
    expect(() => buildCenter({ ...base, adminToken: TOKENS.app })).toThrow(/already used/);
    expect(() => buildCenter({ ...base, kioskKeys: { 'bad id!': 'x'.repeat(20) } })).toThrow(CenterConfigError);
    expect(() => buildCenter({ ...base, masterKey: Buffer.alloc(16) })).toThrow(/32 bytes/);
  });
});

describe('OpenAPI document', () => {
  it('the checked-in openapi.json is what the server generates (npm run center -- --write-openapi)', () => {
    const checkedIn = fs.readFileSync(path.join(here, '../../electron/center/openapi.json'), 'utf8');
    expect(checkedIn).toBe(openApiText());
  });

  it('is served at /openapi.json and lists every route the server answers', async () => {
    fx = await makeCenter();
    const res = await fx.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(doc).toEqual(buildOpenApi());
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(ops.sort()).toEqual(Object.keys(ROUTES).sort());
    for (const r of Object.values(ROUTES)) expect(fx.app.hasRoute({ method: r.method, url: r.url })).toBe(true);
  });
});

/** A file as a center of schema `version` left it (its migrations applied, recorded), open for writing. */
function fileAtVersion(file: string, version: number): Database.Database {
  const db = new Database(file);
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  for (const m of MIGRATIONS.filter((m) => m.version <= version)) {
    db.exec(m.sql);
    db.prepare("INSERT INTO schema_migrations VALUES (?, ?, 'then')").run(m.version, m.name);
  }
  return db;
}

/** Null for every parameter of `sql` (positional or @named): EXPLAIN compiles, it runs nothing. */
function explainParams(sql: string): unknown[] {
  const named = [...sql.matchAll(/@(\w+)/g)].map((m) => m[1] as string);
  if (named.length > 0) return [Object.fromEntries(named.map((n) => [n, null]))];
  return Array.from(sql.matchAll(/\?/g), () => null);
}

describe('storage', () => {
  itOnSqlite('is a WAL file with synchronous=FULL and a recorded schema version', async () => {
    fx = await makeCenter();
    expect((fx.storage as SqliteStorage).schemaVersion()).toBe(MIGRATIONS.at(-1)?.version);
    const db = new Database(fx.dbPath, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect((db.prepare('SELECT version, name FROM schema_migrations').all() as { version: number }[]).map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    db.close();
    const st = fx.storage as unknown as { db: Database.Database };
    expect(st.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(st.db.pragma('cache_size', { simple: true })).toBe(-2000);
  });

  itOnSqlite('refuses a database written by a newer center instead of guessing', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'c.sqlite');
    await openSqliteStorage(file).close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, ?)').run('future', 'now');
    db.close();
    expect(() => openSqliteStorage(file)).toThrow(StorageError);
    try {
      openSqliteStorage(file);
    } catch (err) {
      expect((err as StorageError).code).toBe('SCHEMA_TOO_NEW');
    }
  });

  itOnSqlite('migration 2 keeps a version-1 file’s history: authorized and used are read from the row, other events stay', async () => {
    const file = path.join(tempDir(), 'v1.sqlite');
    const db = fileAtVersion(file, 1);
    // What a version-1 center wrote for a used booking and for a replaced one.
    const used = `bk_${'1'.repeat(32)}`;
    const replaced = `bk_${'2'.repeat(32)}`;
    db.exec(`
      INSERT INTO bookings (id, card_id, kind, state, via, completed_at, expires_at, auth_kiosk_id, auth_request_id, auth_challenge, authorized_at, use_kiosk_id, use_request_id, used_at)
        VALUES ('${used}', '0A1B', 'sign', 'used', 'app', 100, 86400100, 'kiosk-01', 'req-a', '0011223344556677', 200, 'kiosk-01', 'req-a', 300);
      INSERT INTO bookings (id, card_id, kind, state, via, completed_at, expires_at) VALUES ('${replaced}', '0A1B', 'auth', 'replaced', 'admin', 100, 86400100);
      INSERT INTO booking_events (booking_id, state, at, kiosk_id, request_id, note) VALUES
        ('${used}', 'booked', 100, NULL, NULL, NULL),
        ('${used}', 'authorized', 200, 'kiosk-01', 'req-a', NULL),
        ('${used}', 'used', 300, 'kiosk-01', 'req-a', NULL),
        ('${replaced}', 'booked', 100, NULL, NULL, 'created by a trainer'),
        ('${replaced}', 'replaced', 150, NULL, NULL, 'replaced by bk_x');`);
    db.close();

    const st = openSqliteStorage(file);
    try {
      expect(st.schemaVersion()).toBe(MIGRATIONS.at(-1)?.version);
      expect((await st.readBooking(used))?.history).toEqual([
        { state: 'booked', at: 100 },
        { state: 'authorized', at: 200, kioskId: 'kiosk-01', requestId: 'req-a' },
        { state: 'used', at: 300, kioskId: 'kiosk-01', requestId: 'req-a' },
      ]);
      expect((await st.readBooking(replaced))?.history).toEqual([
        { state: 'booked', at: 100, note: 'created by a trainer' },
        { state: 'replaced', at: 150, note: 'replaced by bk_x' },
      ]);
    } finally {
      await st.close();
    }
    const after = new Database(file, { readonly: true });
    expect(after.prepare('SELECT state FROM booking_events ORDER BY seq').pluck().all()).toEqual(['booked', 'booked', 'replaced']);
    after.close();
  });

  itOnSqlite('migration 4: an authorization from before receipts reads with no receipt facts, and only its very challenge settles it', async () => {
    const file = path.join(tempDir(), 'v3.sqlite');
    const db = fileAtVersion(file, 3);
    const held = `bk_${'3'.repeat(32)}`;
    db.exec(`
      INSERT INTO bookings (id, card_id, kind, state, via, completed_at, expires_at, auth_kiosk_id, auth_request_id, auth_challenge, authorized_at)
        VALUES ('${held}', '0A1B', 'sign', 'authorized', 'app', 100, 86400100, 'kiosk-01', 'req-a', '0011223344556677', 200);`);
    db.close();
    const st = openSqliteStorage(file);
    try {
      expect(st.schemaVersion()).toBe(4);
      const card = await st.readCard('0A1B');
      expect(card.latest.sign?.authorization).toEqual({ kioskId: 'kiosk-01', requestId: 'req-a', challenge: '0011223344556677', at: 200, resetCount: null, challengeSeq: null });
    } finally {
      await st.close();
    }
  });

  itOnSqlite('migration 3 rebuilds bookings with the same rows, seq counter and references, and the state rule still holds', async () => {
    const file = path.join(tempDir(), 'v2.sqlite');
    const db = fileAtVersion(file, 2);
    const used = `bk_${'1'.repeat(32)}`;
    const booked = `bk_${'2'.repeat(32)}`;
    db.exec(`
      INSERT INTO bookings (seq, id, card_id, kind, state, via, completed_at, expires_at, auth_kiosk_id, auth_request_id, auth_challenge, authorized_at, use_kiosk_id, use_request_id, used_at)
        VALUES (5, '${used}', '0A1B', 'sign', 'used', 'app', 100, 86400100, 'kiosk-01', 'req-a', '0011223344556677', 200, 'kiosk-01', 'req-a', 300);
      INSERT INTO bookings (seq, id, card_id, kind, state, via, completed_at, expires_at) VALUES (9, '${booked}', '0C0D', 'auth', 'booked', 'admin', 100, 86400100);
      INSERT INTO booking_events (booking_id, state, at, kiosk_id, request_id, note) VALUES ('${booked}', 'booked', 100, NULL, NULL, 'created by a trainer');
      -- Seqs up to 42 were handed out once (by a version-2 center): none may be handed out again.
      UPDATE sqlite_sequence SET seq = 42 WHERE name = 'bookings';`);
    const before = db.prepare('SELECT * FROM bookings ORDER BY seq').all();
    db.close();

    const st = openSqliteStorage(file);
    try {
      expect(st.schemaVersion()).toBe(MIGRATIONS.at(-1)?.version);
      const conn = (st as unknown as { db: Database.Database }).db;
      expect(conn.pragma('foreign_keys', { simple: true })).toBe(1);
      expect((await st.readBooking(booked))?.history).toEqual([{ state: 'booked', at: 100, note: 'created by a trainer' }]);
      await st.updateCard('0E0F', (card) => decideAdminBooking(card, 'sign', { now: 500, completedAt: 500, newId: `bk_${'3'.repeat(32)}` }));
    } finally {
      await st.close();
    }
    const after = new Database(file);
    try {
      // The rows as they were (migration 4 only adds its two columns, NULL for these rows).
      const columnsOfV3 = (r: unknown) => {
        const { auth_reset_count, auth_challenge_seq, ...rest } = r as Record<string, unknown>;
        expect([auth_reset_count, auth_challenge_seq]).toEqual([null, null]);
        return rest;
      };
      expect(after.prepare('SELECT * FROM bookings WHERE seq < 10 ORDER BY seq').all().map(columnsOfV3)).toEqual(before);
      expect(after.prepare("SELECT seq FROM bookings WHERE id = ?").pluck().get(`bk_${'3'.repeat(32)}`)).toBe(43);
      expect(after.pragma('foreign_key_check')).toEqual([]);
      expect(after.prepare("SELECT name FROM sqlite_master WHERE tbl_name = 'bookings' AND type = 'index' ORDER BY name").pluck().all()).toEqual([
        'bookings_by_card',
        'sqlite_autoindex_bookings_1',
      ]);
      expect(() => after.prepare("UPDATE bookings SET state = 'lost' WHERE seq = 9").run()).toThrow(/CHECK constraint failed/);
      expect(() => after.prepare("UPDATE bookings SET state = 'used' WHERE seq = 9").run()).toThrow(/CHECK constraint failed/);
    } finally {
      after.close();
    }
  });

  itOnSqlite('migration 3 refuses, and leaves the file as it was, when a row refers to a booking that does not exist', async () => {
    const file = path.join(tempDir(), 'orphan.sqlite');
    const db = fileAtVersion(file, 2);
    // Only a writer with foreign keys off (not the center) can leave such a row.
    db.pragma('foreign_keys = OFF');
    db.exec(`INSERT INTO bookings (id, card_id, kind, state, via, completed_at, expires_at) VALUES ('bk_${'4'.repeat(32)}', '0A1B', 'sign', 'booked', 'app', 1, 2);
      INSERT INTO booking_events (booking_id, state, at) VALUES ('bk_gone', 'booked', 1);`);
    db.close();
    let error: unknown;
    try {
      openSqliteStorage(file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).code).toBe('MIGRATION_FAILED');
    expect((error as Error).message).toMatch(/booking_events/);
    const after = new Database(file, { readonly: true });
    try {
      expect(after.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(2);
      expect(after.prepare('SELECT id FROM bookings').pluck().all()).toEqual([`bk_${'4'.repeat(32)}`]);
      expect(after.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'bookings%' AND type = 'table'").pluck().all()).toEqual(['bookings']);
    } finally {
      after.close();
    }
  });

  it('a card read from the database (not from memory) has its lock and its newest booking of each kind', async () => {
    const file = await centerDbIn();
    const w = await openCenterStorage(file);
    const id = (c: string) => `bk_${c.repeat(32)}`;
    try {
      for (const [n, kind] of [[1, 'sign'], [2, 'sign'], [3, 'auth']] as const) {
        await w.updateCard('0A1B', (card) => decideAdminBooking(card, kind, { now: n, completedAt: n, newId: id(String(n)) }));
      }
      for (let i = 0; i < 5; i++) await w.updateCard('0A1B', (card) => decideFaceCheck(card, false, { now: 10 + i, maintenance: [] }));
      await w.updateCard('0C0D', (card) => decideAdminBooking(card, 'auth', { now: 4, completedAt: 4, newId: id('4') }));
      await w.updateCard('0E0F', (card) => decideFaceCheck(card, false, { now: 5, maintenance: [] }));
    } finally {
      await w.close();
    }
    const r = await openCenterStorage(file);
    try {
      const locked = await r.readCard('0A1B');
      expect(locked.lock).toEqual({ consecutiveFailures: 5, lockedAt: 14 });
      expect([locked.latest.sign?.id, locked.latest.auth?.id]).toEqual([id('2'), id('3')]);
      // Only an auth booking and no lock: the lookup's first row is all NULLs.
      const authOnly = await r.readCard('0C0D');
      expect(authOnly.lock).toEqual({ consecutiveFailures: 0, lockedAt: null });
      expect([authOnly.latest.sign, authOnly.latest.auth?.id]).toEqual([undefined, id('4')]);
      const lockOnly = await r.readCard('0E0F');
      expect(lockOnly.lock).toEqual({ consecutiveFailures: 1, lockedAt: null });
      expect(lockOnly.latest).toEqual({});
      expect((await r.readCard('FFFF')).latest).toEqual({});
    } finally {
      await r.close();
    }
  });

  itOnSqlite('a migration another connection applied after this one read the version is not applied twice', async () => {
    const file = path.join(tempDir(), 'race.sqlite');
    const db = fileAtVersion(file, 2);
    db.close();
    await openSqliteStorage(file).close(); // the other connection: brings the file to the newest version
    // This connection read the version before that happened: its first read answers the old one.
    const late = new Database(file);
    let stale = true;
    const lateView = new Proxy(late, {
      get(target, key) {
        if (key === 'prepare') {
          return (sql: string) => {
            if (stale && sql.includes('MAX(version)')) {
              stale = false;
              return { get: () => ({ v: 2 }) };
            }
            return target.prepare(sql);
          };
        }
        const v = Reflect.get(target, key) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    try {
      expect(() => migrate(lateView)).not.toThrow();
      expect(stale).toBe(false);
      expect(late.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(MIGRATIONS.map((m) => m.version));
      expect(late.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'bookings%'").pluck().all()).toEqual(['bookings']);
    } finally {
      late.close();
    }
  });

  itOnSqlite('no statement a kiosk or app request runs builds a temporary table (IN lists in checks and lookups, removed for their cost)', async () => {
    const file = path.join(tempDir(), 'plan.sqlite');
    const st = openSqliteStorage(file);
    const statements = Object.values((st as unknown as { st: Record<string, { source: string }> }).st).map((s) => s.source);
    await st.close();
    // The card lookup, the booking insert and the state transitions (the trainers' listings may sort).
    const hot = statements.filter((sql) => /^\s*(UPDATE bookings|INSERT INTO bookings|SELECT l\.consecutive_failures)/.test(sql));
    expect(hot.length).toBeGreaterThanOrEqual(5);
    // A writable connection: a read-only one leaves CHECK constraints out of the program.
    const db = new Database(file);
    try {
      for (const sql of hot) {
        const opcodes = db.prepare(`EXPLAIN ${sql}`).all(...explainParams(sql)).map((r) => (r as { opcode: string }).opcode);
        expect(opcodes, sql).not.toContain('OpenEphemeral');
      }
    } finally {
      db.close();
    }
  });

  it('two centers on one file (the simulator’s and the app CLI’s) see each other’s bookings and settings at once', async () => {
    const file = await centerDbIn();
    const a = await openCenterStorage(file);
    const b = await openCenterStorage(file);
    try {
      expect((await a.readSettings()).clockOffsetMs).toBe(0);
      expect((await b.readSettings()).clockOffsetMs).toBe(0);
      await a.writeSettings({ clockOffsetMs: 42, maintenance: [{ from: 1, until: 2 }] });
      expect(await b.readSettings()).toEqual({ clockOffsetMs: 42, maintenance: [{ from: 1, until: 2 }] });
      await b.updateCard('0A1B', (card) => decideAdminBooking(card, 'sign', { now: 5, completedAt: 5, newId: `bk_${'c'.repeat(32)}` }));
      expect((await a.readCard('0A1B')).latest.sign?.id).toBe(`bk_${'c'.repeat(32)}`);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('group commit: a write that fails in a batch fails alone; the others in the same turn are kept', async () => {
    const file = await centerDbIn();
    const st = await openCenterStorage(file);
    const id = (c: string) => `bk_${c.repeat(32)}`;
    try {
      // Three writes in one event-loop turn: one batch. The middle one fails after it has written.
      const results = await Promise.allSettled([
        st.updateCard('0A01', (card) => decideAdminBooking(card, 'sign', { now: 5, completedAt: 5, newId: id('1') })),
        st.updateCard('0A02', (card) => decideAdminBooking(card, 'sign', { now: 5, completedAt: 5, newId: id('1') })), // duplicate id: UNIQUE fails
        st.updateCard('0A03', (card) => decideAdminBooking(card, 'auth', { now: 5, completedAt: 5, newId: id('3') })),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await st.readCard('0A01')).latest.sign?.id).toBe(id('1'));
      expect((await st.readCard('0A02')).latest.sign).toBeUndefined();
      expect((await st.readCard('0A03')).latest.auth?.id).toBe(id('3'));
    } finally {
      await st.close();
    }
    // And they are on disk, not only in the connection that wrote them.
    expect(await dbRows(file, 'SELECT card_id FROM bookings ORDER BY card_id')).toEqual([{ card_id: '0A01' }, { card_id: '0A03' }]);
  });

  it('keeps bookings, locks and settings across a reopen', async () => {
    fx = await makeCenter();
    const b = await fx.post('/v1/app/bookings', 'app', { cardId: '0A1B2C', kind: 'sign', identity: IDENTITY_SIGN });
    await fx.post('/v1/app/face-checks', 'app', { cardId: '0A1B2C', passed: false });
    await fx.put('/v1/admin/maintenance', 'admin', { windows: [{ from: 1, until: 2 }] });
    const dir = fx.dir;
    await fx.close();
    fx = await makeCenter({ dir });
    expect((await fx.get('/v1/admin/bookings', 'admin')).body.bookings[0].bookingId).toBe(b.body.bookingId);
    expect((await fx.get('/v1/admin/cards/0A1B2C', 'admin')).body.consecutiveFailures).toBe(1);
    expect((await fx.get('/v1/admin/maintenance', 'admin')).body.windows).toEqual([{ from: 1, until: 2 }]);
  });
});

describe('request ids and logs', () => {
  it('echoes a well-formed x-request-id, makes one otherwise, and logs structured lines without tokens or MACs', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        cb();
      },
    });
    const storage = await openTestStorage();
    const app = buildCenter({
      storage,
      masterKey: DEV_MASTER_KEY,
      kioskKeys: TOKENS.kiosks,
      appToken: TOKENS.app,
      adminToken: TOKENS.admin,
      logger: { level: 'info', stream },
    });
    const kiosk = { authorization: `Bearer ${TOKENS.kiosks['kiosk-01']}` };
    await app.inject({ method: 'POST', url: '/v1/app/bookings', headers: { authorization: `Bearer ${TOKENS.app}` }, payload: { cardId: '0A1B2C', kind: 'sign', identity: IDENTITY_SIGN } });
    const a = await app.inject({
      method: 'POST',
      url: '/v1/kiosk/authorize',
      headers: { ...kiosk, 'x-request-id': 'trace-42' },
      payload: { cardId: '0A1B2C', kind: 'sign', challenge: '0011223344556677', receipt: receiptHex('0A1B2C', 'sign', '0011223344556677'), requestId: 'req-00000001' },
    });
    expect(a.headers['x-request-id']).toBe('trace-42');
    const odd = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'not ok\u0001'.repeat(20) } });
    // An unusable id is replaced by the center's own: its prefix and a count, unique per request.
    const odd2 = await app.inject({ method: 'GET', url: '/health' });
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
    expect(odd2.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
    expect(odd2.headers['x-request-id']).not.toBe(odd.headers['x-request-id']);
    await app.close();
    await storage.close();
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.some((r) => r.requestId === 'trace-42' && r.msg === 'authorize' && r.outcome === 'authorized')).toBe(true);
    // Every line of that request carries its id, Fastify's own as well as the center's.
    expect(records.filter((r) => r.requestId === 'trace-42').map((r) => r.msg)).toEqual(['incoming request', 'authorize', 'request completed']);
    const all = lines.join('\n');
    const mac = (a.json() as { mac: string }).mac;
    for (const secret of [TOKENS.app, TOKENS.admin, TOKENS.kiosks['kiosk-01'], mac, '0011223344556677']) expect(all).not.toContain(secret);
  });

  it('at warn writes nothing for requests that go well, and still logs a failure with its request id', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        cb();
      },
    });
    const storage = await openTestStorage();
    const app = buildCenter({
      storage,
      masterKey: DEV_MASTER_KEY,
      kioskKeys: TOKENS.kiosks,
      appToken: TOKENS.app,
      adminToken: TOKENS.admin,
      logger: { level: 'warn', stream },
    });
    const kiosk = { authorization: `Bearer ${TOKENS.kiosks['kiosk-01']}` };
    await app.inject({ method: 'POST', url: '/v1/app/bookings', headers: { authorization: `Bearer ${TOKENS.app}` }, payload: { cardId: '0A1B2C', kind: 'auth', identity: IDENTITY_AUTH } });
    const ok = await app.inject({ method: 'POST', url: '/v1/kiosk/check', headers: { ...kiosk, 'x-request-id': 'fine-1' }, payload: { cardId: '0A1B2C', kind: 'auth' } });
    expect(ok.json()).toMatchObject({ status: 'usable' });
    expect(lines).toEqual([]);
    // The storage going away under the center is a 500 for the kiosk and an error line for the log.
    await storage.close();
    const broken = await app.inject({ method: 'POST', url: '/v1/kiosk/check', headers: { ...kiosk, 'x-request-id': 'broken-1' }, payload: { cardId: '0A1B2C', kind: 'auth' } });
    expect(broken.statusCode).toBe(500);
    expect(broken.json()).toMatchObject({ error: 'internal', requestId: 'broken-1' });
    await app.close();
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toEqual([expect.objectContaining({ level: 50, requestId: 'broken-1', msg: 'request failed' })]);
  });
});
