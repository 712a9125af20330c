/**
 * A center over a real SQLite file in a temp dir, with a settable clock, for center-*.test.ts.
 * Requests go through fastify.inject (no socket) unless a test listens.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEV_MASTER_KEY } from '../../native/jpki/reset-mac';
import { buildCenter, type CenterApp } from '../../electron/center/server';
import { openSqliteStorage, type SqliteStorage } from '../../electron/center/sqlite-storage';

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
  readonly storage: SqliteStorage;
  readonly dir: string;
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

const tokenOf = (who: string): string =>
  who === 'app' ? TOKENS.app : who === 'admin' ? TOKENS.admin : TOKENS.kiosks[who as keyof typeof TOKENS.kiosks];

export async function makeCenter(options: { dir?: string } = {}): Promise<Fixture> {
  const dir = options.dir ?? tempDir();
  const dbPath = path.join(dir, 'center.sqlite');
  const storage = openSqliteStorage(dbPath);
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
