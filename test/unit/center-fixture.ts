/**
 * A center over a real database with a settable clock, for center-*.test.ts. The database is a
 * SQLite file in a temp dir, or, in the `center-postgres` test group (CENTER_TEST_DB=postgres), a
 * fresh schema in this test file's own database on the run's PostgreSQL server
 * (postgres-global-setup.ts): the same tests run on both storages.
 * Requests go through fastify.inject (no socket) unless a test listens.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { inject, it } from 'vitest';
import { DEV_MASTER_KEY } from '../../native/jpki/reset-mac';
import { openCenterStorage } from '../../electron/center/open-storage';
import { buildCenter, type CenterApp } from '../../electron/center/server';
import type { CenterStorage } from '../../electron/center/storage';

/** The storage these tests run on. */
export const CENTER_BACKEND: 'sqlite' | 'postgres' = process.env.CENTER_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';

/**
 * `it` for a test of SQLite's own file, pragmas and migrations: declared in the SQLite run only (not
 * a skip: the PostgreSQL run has its own such tests, in center-postgres.test.ts).
 */
export const itOnSqlite: typeof it = CENTER_BACKEND === 'sqlite' ? it : ((() => undefined) as unknown as typeof it);

export const TOKENS = {
  kiosks: { 'kiosk-01': 'kiosk-01-token-aaaaaaaa', 'kiosk-02': 'kiosk-02-token-bbbbbbbb' },
  app: 'app-token-cccccccccccc',
  admin: 'admin-token-dddddddddd',
} as const;

/** 2026-11-25 10:00 JST. */
export const T0 = Date.parse('2026-11-25T10:00:00+09:00');

// Response bodies are checked field by field in the tests; typing each one would only restate schemas.ts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Fixture {
  readonly app: CenterApp;
  readonly storage: CenterStorage;
  readonly dir: string;
  /** The SQLite file, or the postgres:// URL, the center runs on. */
  readonly dbPath: string;
  /** Real time as the center sees it before the trainer's offset; tests move it. */
  now: number;
  post(url: string, who: keyof typeof TOKENS.kiosks | 'app' | 'admin', body: unknown): Promise<{ status: number; body: Json }>;
  get(url: string, who: keyof typeof TOKENS.kiosks | 'app' | 'admin'): Promise<{ status: number; body: Json }>;
  put(url: string, who: 'admin', body: unknown): Promise<{ status: number; body: Json }>;
  close(): Promise<void>;
}

export function tempDir(prefix = 'center-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A client of the test server; BIGINT (the center's times) read as numbers. */
async function withPostgres<T>(url: string, run: (c: pg.Client) => Promise<T>): Promise<T> {
  const types = new pg.TypeOverrides();
  types.setTypeParser(20, Number);
  const c = new pg.Client({ connectionString: url, types });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}

let fileDatabase: Promise<string> | undefined;

/** This test file's database on the run's PostgreSQL server, made on first use. */
function postgresFileDatabase(): Promise<string> {
  fileDatabase ??= (async () => {
    const base = inject('centerPostgresBase');
    if (!base) throw new Error('CENTER_TEST_DB=postgres, but no PostgreSQL server was started for this run (test/unit/postgres-global-setup.ts)');
    const name = `center_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
    await withPostgres(`${base}postgres`, (c) => c.query(`CREATE DATABASE ${name}`));
    return base + name;
  })();
  return fileDatabase;
}

/**
 * The center database that belongs to `dir`, empty the first time: `dir`/center.sqlite, or a new
 * schema in this file's PostgreSQL database (the URL selects it by search_path; the URL is kept in
 * `dir`, so a center reopened on `dir` finds its data again).
 */
export async function centerDbIn(dir: string = tempDir()): Promise<string> {
  if (CENTER_BACKEND === 'sqlite') return path.join(dir, 'center.sqlite');
  const kept = path.join(dir, 'center.postgres-url');
  if (fs.existsSync(kept)) return fs.readFileSync(kept, 'utf8');
  const database = await postgresFileDatabase();
  const schema = `c_${crypto.randomBytes(6).toString('hex')}`;
  await withPostgres(database, (c) => c.query(`CREATE SCHEMA ${schema}`));
  const url = `${database}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  fs.writeFileSync(kept, url);
  return url;
}

/** The rows a query answers, read straight from the center's database (after the center closed it, or beside it). */
export async function dbRows(db: string, sql: string): Promise<Array<Record<string, unknown>>> {
  if (CENTER_BACKEND === 'postgres') return withPostgres(db, async (c) => (await c.query(sql)).rows as Array<Record<string, unknown>>);
  const file = new Database(db, { readonly: true });
  try {
    return file.prepare(sql).all() as Array<Record<string, unknown>>;
  } finally {
    file.close();
  }
}

/** A storage on a new, empty database of this run's kind. */
export async function openTestStorage(dir: string = tempDir()): Promise<CenterStorage> {
  return openCenterStorage(await centerDbIn(dir));
}

const tokenOf = (who: string): string =>
  who === 'app' ? TOKENS.app : who === 'admin' ? TOKENS.admin : TOKENS.kiosks[who as keyof typeof TOKENS.kiosks];

export async function makeCenter(options: { dir?: string } = {}): Promise<Fixture> {
  const dir = options.dir ?? tempDir();
  const dbPath = await centerDbIn(dir);
  const storage = await openCenterStorage(dbPath);
  const fx = {} as Fixture;
  fx.now = T0;
  const app = buildCenter({
    storage,
    clock: { now: () => fx.now },
    masterKey: DEV_MASTER_KEY,
    kioskKeys: TOKENS.kiosks,
    appToken: TOKENS.app,
    adminToken: TOKENS.admin,
  });
  await app.ready();
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, who: string, body?: unknown) => {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokenOf(who)}` },
      ...(body !== undefined && { payload: body as object }),
    });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
  };
  Object.assign(fx, {
    app,
    storage,
    dir,
    dbPath,
    post: (url: string, who: string, body: unknown) => call('POST', url, who, body),
    get: (url: string, who: string) => call('GET', url, who),
    put: (url: string, who: string, body: unknown) => call('PUT', url, who, body),
    close: async () => {
      await app.close();
      await storage.close();
    },
  });
  return fx;
}

export const IDENTITY_SIGN = { cardFront: true, otherPassword: true, faceCheck: 'passed' } as const;
export const IDENTITY_AUTH = { cardFront: true, otherPassword: true, faceCheck: 'not-required' } as const;

/** An answer read off a raw connection: its status and its JSON body. */
export interface RawAnswer {
  readonly status: number;
  readonly body: Json;
}

/**
 * A keep-alive connection to a listening center for tests that write raw HTTP/1.1 (what inject
 * cannot do: one socket across requests, bodies split across writes). `next()` resolves with the
 * next whole answer, or fails if the center closes the connection first.
 */
export async function rawConnection(url: string): Promise<{ readonly socket: net.Socket; write(text: string): void; next(): Promise<RawAnswer> }> {
  const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let buffered = '';
  let closed = false;
  socket.on('data', (d: Buffer) => (buffered += d.toString('latin1')));
  socket.on('close', () => (closed = true));
  return {
    socket,
    write: (text) => void socket.write(text),
    async next() {
      for (;;) {
        const m = /^HTTP\/1\.1 (\d{3})[\s\S]*?\r\ncontent-length: (\d+)\r\n[\s\S]*?\r\n\r\n/i.exec(buffered);
        if (m && buffered.length >= m[0].length + Number(m[2])) {
          const text = buffered.slice(m[0].length, m[0].length + Number(m[2]));
          buffered = buffered.slice(m[0].length + Number(m[2]));
          return { status: Number(m[1]), body: JSON.parse(text) as Json };
        }
        if (closed) throw new Error(`connection closed with ${JSON.stringify(buffered)} unanswered`);
        await new Promise((r) => setTimeout(r, 2));
      }
    },
  };
}
