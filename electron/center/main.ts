/**
 * `npm run center`: the reservation center as a standalone service.
 *
 *   npm run center -- [--host 127.0.0.1] [--port 5178] [--db <file> | --db postgres://user:pass@host/db]
 *   npm run center -- --write-openapi     regenerate electron/center/openapi.json
 *
 * Environment: KIOSK_SIM_CENTER_HOST / _PORT / _DB, KIOSK_SIM_KIOSK_KEYS ("kiosk-01=<token>,…"),
 * KIOSK_SIM_APP_TOKEN, KIOSK_SIM_ADMIN_TOKEN, KIOSK_SIM_MASTER_KEY (64 hex digits),
 * KIOSK_SIM_CENTER_LOG (pino level, default info). Tokens not set are generated for this run and
 * printed once, so a trainer can use them; set them to keep them across restarts.
 * `--db` (or KIOSK_SIM_CENTER_DB) names a SQLite file (the default) or, for centers on several
 * machines that share one database, a `postgres://` / `postgresql://` URL (open-storage.ts).
 * Prints the URL on stdout; structured logs (JSON, with request ids) go to stderr.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultCenterDbPath, randomToken, startEmbeddedCenter } from './embedded';
import { describeCenterDb } from './open-storage';
import { buildOpenApi } from './openapi';

export const DEFAULT_CENTER_PORT = 5178;
const OPENAPI_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'openapi.json');

/** "kiosk-01=tokenA,kiosk-02=tokenB" → { 'kiosk-01': 'tokenA', … }. */
export function parseKioskKeys(spec: string): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error('KIOSK_SIM_KIOSK_KEYS must look like "kiosk-01=<token>,kiosk-02=<token>"');
    keys[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return keys;
}

export function openApiText(): string {
  return JSON.stringify(buildOpenApi(), null, 2) + '\n';
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      db: { type: 'string' },
      'write-openapi': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('npm run center -- [--host 127.0.0.1] [--port 5178] [--db <file> | --db postgres://…] | --write-openapi');
    return;
  }
  if (values['write-openapi']) {
    fs.writeFileSync(OPENAPI_FILE, openApiText());
    console.log(`wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`);
    return;
  }
  const env = process.env;
  const host = values.host ?? env.KIOSK_SIM_CENTER_HOST ?? '127.0.0.1';
  const port = Number(values.port ?? env.KIOSK_SIM_CENTER_PORT ?? DEFAULT_CENTER_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('the port must be 0–65535');
  const dbPath = values.db ?? defaultCenterDbPath(env);
  const generated: string[] = [];
  const kioskKeys = env.KIOSK_SIM_KIOSK_KEYS ? parseKioskKeys(env.KIOSK_SIM_KIOSK_KEYS) : { 'kiosk-01': randomToken() };
  if (!env.KIOSK_SIM_KIOSK_KEYS) generated.push(`KIOSK_SIM_KIOSK_KEYS=kiosk-01=${kioskKeys['kiosk-01']}`);
  const appToken = env.KIOSK_SIM_APP_TOKEN || randomToken();
  if (!env.KIOSK_SIM_APP_TOKEN) generated.push(`KIOSK_SIM_APP_TOKEN=${appToken}`);
  const adminToken = env.KIOSK_SIM_ADMIN_TOKEN || randomToken();
  if (!env.KIOSK_SIM_ADMIN_TOKEN) generated.push(`KIOSK_SIM_ADMIN_TOKEN=${adminToken}`);

  const center = await startEmbeddedCenter({
    dbPath,
    kioskKeys,
    appToken,
    adminToken,
    host,
    port,
    logger: { level: env.KIOSK_SIM_CENTER_LOG ?? 'info', stream: process.stderr },
  });
  console.log(`kiosk-sim center listening on ${center.url} (db ${describeCenterDb(dbPath)})`);
  if (generated.length > 0) console.log(`tokens for this run (set them to keep them):\n  ${generated.join('\n  ')}`);

  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    center.app.log.info({ signal }, 'closing');
    center.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
