/**
 * An embedded center on 127.0.0.1 with an ephemeral port, for the simulator (which starts one by
 * default), the app CLI and tests. Tokens not given are random for this run and handed back to the
 * caller in-process, so nothing else on the machine can use this instance.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { masterKeyFromEnv } from '../../native/jpki/reset-mac';
import { buildCenter, type CenterApp, type CenterClock, type CenterOptions } from './server';
import { openCenterStorage } from './open-storage';
import type { CenterStorage } from './storage';

/** Where the simulator keeps its reservations unless told otherwise (KIOSK_SIM_CENTER_DB: a file or a postgres:// URL). */
export function defaultCenterDbPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KIOSK_SIM_CENTER_DB) return env.KIOSK_SIM_CENTER_DB;
  const state = env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  return path.join(state, 'kiosk-sim', 'center.sqlite');
}

export const randomToken = (): string => crypto.randomBytes(24).toString('base64url');

export interface EmbeddedCenterOptions {
  /** SQLite file or postgres:// URL (open-storage.ts); default defaultCenterDbPath(). */
  readonly dbPath?: string;
  /** Use this storage instead of opening dbPath (it is closed with the center). */
  readonly storage?: CenterStorage;
  readonly masterKey?: Uint8Array;
  /** kiosk id → token; default one kiosk, `kiosk-01`, with a random token. */
  readonly kioskKeys?: Readonly<Record<string, string>>;
  readonly appToken?: string;
  readonly adminToken?: string;
  readonly clock?: CenterClock;
  readonly host?: string;
  /** 0 (default) = ephemeral. */
  readonly port?: number;
  readonly logger?: CenterOptions['logger'];
}

export interface EmbeddedCenter {
  readonly url: string;
  readonly kioskKeys: Readonly<Record<string, string>>;
  readonly appToken: string;
  readonly adminToken: string;
  readonly app: CenterApp;
  readonly storage: CenterStorage;
  close(): Promise<void>;
}

export async function startEmbeddedCenter(options: EmbeddedCenterOptions = {}): Promise<EmbeddedCenter> {
  const storage = options.storage ?? (await openCenterStorage(options.dbPath ?? defaultCenterDbPath()));
  const kioskKeys = options.kioskKeys ?? { 'kiosk-01': randomToken() };
  const appToken = options.appToken ?? randomToken();
  const adminToken = options.adminToken ?? randomToken();
  let app: CenterApp;
  try {
    app = buildCenter({
      storage,
      masterKey: options.masterKey ?? masterKeyFromEnv(),
      kioskKeys,
      appToken,
      adminToken,
      ...(options.clock && { clock: options.clock }),
      ...(options.logger !== undefined && { logger: options.logger }),
    });
    await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  } catch (err) {
    await storage.close();
    throw err;
  }
  const addr = app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('the center is not listening on TCP');
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    kioskKeys,
    appToken,
    adminToken,
    app,
    storage,
    async close() {
      await app.close();
      await storage.close();
    },
  };
}
