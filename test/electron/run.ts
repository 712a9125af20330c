/**
 * `npm run test:electron`: the Playwright _electron suite (test/electron/*.spec.ts), where an
 * Electron binary exists. Where none exists (these machines install Electron without it) it prints
 * the one line below and exits 0 WITHOUT starting Playwright, so nothing is reported as passed.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from '../../electron/packaging/electron-binary';
import { prepareCheckout } from '../../electron/packaging/launch';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const found = findElectronBinary({ from: repo });
if (!found.ok) {
  console.log('skipped: no Electron binary');
  process.exit(0);
}

try {
  prepareCheckout();
} catch (err) {
  console.error(`test:electron: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
const playwright = ['npx', 'playwright', 'test', '--config', 'test/electron/playwright.config.ts', ...process.argv.slice(2)];
// Electron needs a display: a virtual one where there is none (xvfb is part of .ci/setup).
const command = process.env.DISPLAY ? playwright : ['xvfb-run', '-a', ...playwright];
const r = spawnSync(command[0]!, command.slice(1), { cwd: repo, stdio: 'inherit', env: { ...process.env, KIOSK_ELECTRON_BINARY: found.path } });
process.exit(r.status ?? 1);
