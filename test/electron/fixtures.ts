/**
 * The `kiosk` fixture for the Electron shell: the same `Kiosk` helper, card hand and center desk
 * as the browser end-to-end suite (test/e2e), but the screen is the Electron app's kiosk window
 * (Playwright's _electron), started per test with isolated state like the browser host:
 * its own kiosk data directory (settings written first, as a trainer left them), card directory
 * (a copy of the run's persona cards) and center database. The app runs the PRODUCTION shell
 * (KIOSK_SIM_SHELL=production): what is tested is what a vendor ships, only windowed so that it
 * fits a virtual display.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron, test as base, expect, type ElectronApplication } from '@playwright/test';
import type { ChainId } from '../../electron/domain/chains';
import { virtualReaderName } from '../../native/vpcd/transport';
import { CardHand } from '../e2e/cards';
import { CenterDesk } from '../e2e/center-desk';
import { Kiosk } from '../e2e/fixtures';
import { clockAt, E2E_SLOT, jstToday, makePersonaCards, repo, waitForEmptySlot, type KioskHost } from '../e2e/host';

export { expect };
export { newAuthPin, newSignPassword, words } from '../e2e/fixtures';

export interface ElectronSetup {
  readonly chain?: ChainId;
  /** Trainer access in the app (default off: the card is placed by the test's own hand). */
  readonly trainer?: 'tray' | 'window' | 'off';
}

async function cardTemplate(): Promise<string> {
  const dir = process.env.KIOSK_E2E_CARD_TEMPLATE;
  if (dir !== undefined && fs.existsSync(dir)) return dir;
  const made = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-electron-cards-'));
  await makePersonaCards(made);
  process.env.KIOSK_E2E_CARD_TEMPLATE = made;
  return made;
}

export interface ElectronKiosk {
  readonly app: ElectronApplication;
  readonly host: KioskHost;
}

/** Starts the app with isolated state; resolves once the kiosk window shows the top menu and the center is up. */
export async function launchElectronKiosk(setup: ElectronSetup = {}): Promise<ElectronKiosk> {
  const binary = process.env.KIOSK_ELECTRON_BINARY;
  if (binary === undefined) throw new Error('KIOSK_ELECTRON_BINARY is not set: run this suite with npm run test:electron');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-electron-'));
  const kioskDir = path.join(root, 'kiosk');
  const cardDir = path.join(root, 'cards');
  const centerDbPath = path.join(root, 'center.sqlite');
  fs.cpSync(await cardTemplate(), cardDir, { recursive: true });
  fs.mkdirSync(kioskDir, { recursive: true });
  const settings = {
    chain: setup.chain ?? 'seven-eleven',
    clock: clockAt(jstToday(10)),
    readerName: virtualReaderName(E2E_SLOT),
    centerUrl: '',
    centerKey: '',
    timeouts: { inactivitySeconds: 120, warningSeconds: 20, takeCardSeconds: 120 },
    language: 'ja',
    maintenance: [],
  };
  fs.writeFileSync(path.join(kioskDir, 'settings.json'), JSON.stringify(settings, null, 2), { mode: 0o600 });

  // Chromium refuses to run as root with its sandbox; CI runs as root. The renderer stays
  // `sandbox: true` (its Node-less, contextIsolated preload), only the OS-level layer is off there.
  const asRoot = process.getuid?.() === 0;
  const app = await _electron.launch({
    executablePath: binary,
    args: [...(asRoot ? ['--no-sandbox'] : []), repo, '--windowed', `--trainer=${setup.trainer ?? 'off'}`],
    cwd: repo,
    env: {
      ...(process.env as Record<string, string>),
      KIOSK_SIM_SHELL: 'production',
      KIOSK_SIM_KIOSK_DIR: kioskDir,
      KIOSK_SIM_CARD_DIR: cardDir,
      KIOSK_SIM_CENTER_DB: centerDbPath,
    },
  });
  let out = '';
  app.process().stdout?.on('data', (d: Buffer) => (out += d.toString()));
  app.process().stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const stop = async () => {
    await app.close().catch(() => undefined);
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    const page = await app.firstWindow();
    await expect(page.locator('[data-screen="top"]')).toBeVisible({ timeout: 30_000 });
    await expect.poll(() => /reservation center: (?:embedded, )?\S+/.test(out), { timeout: 30_000 }).toBe(true);
    const centerUrl = /reservation center: (?:embedded, )?(\S+)/.exec(out)?.[1] ?? '';
    const host: KioskHost = {
      url: 'app://kiosk/index.html',
      origin: 'app://kiosk',
      root,
      kioskDir,
      cardDir,
      centerDbPath,
      slot: E2E_SLOT,
      centerUrl,
      cardFile: (name) => path.join(cardDir, `${name}.card.json`),
      output: () => out,
      stop,
    };
    return { app, host };
  } catch (err) {
    await stop();
    throw new Error(`the Electron kiosk did not start: ${err instanceof Error ? err.message : String(err)}\n${out}`);
  }
}

export const test = base.extend<{ setup: ElectronSetup; electronKiosk: ElectronKiosk; kiosk: Kiosk }>({
  setup: [{}, { option: true }],
  electronKiosk: async ({ setup }, use, testInfo) => {
    await waitForEmptySlot(E2E_SLOT);
    const launched = await launchElectronKiosk(setup);
    try {
      await use(launched);
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('app output', { body: launched.host.output(), contentType: 'text/plain' });
      await launched.host.stop();
    }
  },
  kiosk: async ({ electronKiosk }, use) => {
    const hand = new CardHand(E2E_SLOT);
    const center = await CenterDesk.open(electronKiosk.host.centerDbPath);
    try {
      await use(new Kiosk(await electronKiosk.app.firstWindow(), electronKiosk.host, center, hand));
    } finally {
      await hand.close();
      await center.close().catch(() => undefined);
    }
  },
});
