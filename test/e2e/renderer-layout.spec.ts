/**
 * Every kiosk screen, in Japanese and English, laid out by a real browser at the 1280×800 baseline:
 * nothing needs scrolling or is cut off, every touch target is big enough for a finger, and text
 * cannot be selected. The screens are fed snapshots by the fake window.kiosk (renderer-harness/),
 * so this checks what the renderer draws, not what the core decides. Screenshots of each screen are
 * written next to the test results for a human look.
 */
import { test, expect, type Page } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview, type PreviewServer } from 'vite';
import { loadConfigFromFile } from 'electron-vite';
import type { Screen, Snapshot } from '../../electron/contract/kiosk';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Smallest width and height of anything a finger must hit (CSS px at the 1280×800 baseline). */
const MIN_TARGET = 60;

let server: PreviewServer;
let baseUrl: string;

// The harness is built once, with the renderer's own production settings (aliases, the vue-i18n
// runtime without its compiler, feature flags) from electron.vite.config.ts, and served from disk:
// what is measured is what ships, and each test loads one bundled page.
test.beforeAll(async () => {
  const loaded = await loadConfigFromFile({ command: 'build', mode: 'production' }, 'electron.vite.config.ts', repo, 'error');
  const renderer = loaded.config.renderer;
  if (renderer === undefined) throw new Error('electron.vite.config.ts has no renderer config');
  const outDir = path.join(repo, 'test/e2e/.results/renderer-harness-build');
  const config = {
    configFile: false as const,
    root: path.join(repo, 'test/e2e/renderer-harness'),
    logLevel: 'error' as const,
    plugins: renderer.plugins,
    resolve: renderer.resolve,
    define: renderer.define,
    build: { outDir, emptyOutDir: true },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  };
  await build(config);
  server = await preview(config);
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('vite preview did not report a URL');
  baseUrl = url;
});

test.afterAll(async () => {
  await server?.close();
});

const PIN_ENTRY: Screen = {
  id: 'other-password',
  kind: 'sign',
  password: 'auth',
  inputMode: 'numeric',
  minLength: 4,
  maxLength: 4,
  triesLeft: 1,
  maxTries: 3,
  problem: 'wrong-password',
};

const SIGN_ENTRY: Screen = {
  id: 'other-password',
  kind: 'auth',
  password: 'sign',
  inputMode: 'alphanumeric',
  minLength: 6,
  maxLength: 16,
  triesLeft: 4,
  maxTries: 5,
  problem: 'wrong-password',
};

type Case = {
  readonly name: string;
  readonly screen: Screen;
  readonly snapshot?: Partial<Omit<Snapshot, 'screen'>>;
  /** Open the simulator's card tray (trainer tool) before measuring. */
  readonly openTray?: boolean;
};

/** The busiest variant of each screen (longest texts, alerts shown), so the layout is tested at its fullest. */
const CASES: Case[] = [
  {
    name: 'top',
    screen: {
      id: 'top',
      services: (['copy', 'print', 'photo', 'scan', 'fax', 'admin'] as const).map((service) => ({ service, enabled: service === 'admin' })),
    },
    snapshot: { timeout: null, canCancel: false },
  },
  { name: 'admin-menu', screen: { id: 'admin-menu', items: [{ item: 'certificates', enabled: false }, { item: 'my-number-card', enabled: true }] } },
  {
    name: 'card-menu',
    screen: {
      id: 'card-menu',
      options: [
        { option: 'reset-sign', offered: true },
        { option: 'reset-auth', offered: false },
        { option: 'reset-juki', offered: false },
        { option: 'reset-text', offered: false },
      ],
    },
  },
  { name: 'notice', screen: { id: 'notice', kind: 'auth' }, snapshot: { journey: 'notice', canGoBack: true } },
  { name: 'place-card', screen: { id: 'place-card', kind: 'sign' }, snapshot: { journey: 'card', canGoBack: true } },
  {
    name: 'progress-writing',
    screen: { id: 'progress', kind: 'sign', step: 'writing-card', doNotRemoveCard: true },
    snapshot: { journey: 'new-password', timeout: null, canCancel: false },
  },
  { name: 'other-password-pin', screen: PIN_ENTRY, snapshot: { journey: 'verify' } },
  { name: 'other-password-sign', screen: SIGN_ENTRY, snapshot: { journey: 'verify' } },
  {
    name: 'new-password-sign',
    screen: { id: 'new-password', kind: 'sign', password: 'sign', inputMode: 'alphanumeric', minLength: 6, maxLength: 16, step: 'first', problem: 'mismatch' },
    snapshot: { journey: 'new-password' },
  },
  {
    name: 'new-password-pin-confirm',
    screen: { id: 'new-password', kind: 'auth', password: 'auth', inputMode: 'numeric', minLength: 4, maxLength: 4, step: 'confirm', problem: null },
    snapshot: { journey: 'new-password' },
  },
  { name: 'done', screen: { id: 'done', kind: 'auth' }, snapshot: { journey: 'done', canCancel: false } },
  { name: 'take-card', screen: { id: 'take-card', after: 'timed-out' }, snapshot: { reader: { state: 'card-present', name: 'Virtual PCD 00 00' }, canCancel: false } },
  {
    name: 'guidance-chains',
    screen: { id: 'guidance', reason: 'chain-does-not-offer', next: 'other-store-or-counter', kind: 'auth', changed: null, opensAt: null, chains: ['seven-eleven', 'aeon'] },
  },
  {
    name: 'guidance-removed-unknown',
    screen: { id: 'guidance', reason: 'card-removed', next: 'start-again', kind: 'sign', changed: 'unknown', opensAt: null, chains: [] },
  },
  {
    name: 'guidance-locked',
    screen: { id: 'guidance', reason: 'both-passwords-unknown', next: 'municipal-counter-with-id', kind: 'auth', changed: 'nothing', opensAt: null, chains: [] },
  },
  { name: 'card-tray', screen: { id: 'place-card', kind: 'auth' }, snapshot: { journey: 'card', canGoBack: true }, openTray: true },
  { name: 'timeout-dialog', screen: { id: 'notice', kind: 'sign' }, snapshot: { timeout: { secondsLeft: 9, warning: true }, canGoBack: true } },
];

async function showSnapshot(page: Page, screen: Screen, overrides: Partial<Omit<Snapshot, 'screen'>>): Promise<void> {
  await page.evaluate(
    ([s, o]) => (globalThis as unknown as { kioskFake: { show(s: unknown, o: unknown): void } }).kioskFake.show(s, o),
    [screen, overrides] as const,
  );
}

interface LayoutReport {
  readonly pageOverflow: boolean;
  readonly clipped: string[];
  readonly smallTargets: string[];
  readonly userSelect: string;
  readonly touchAction: string;
}

/** Measured in the page by the harness (renderer-harness/main.ts: measureLayout). */
async function measure(page: Page): Promise<LayoutReport> {
  return page.evaluate(
    (min) => (globalThis as unknown as { measureLayout(min: number): Promise<LayoutReport> }).measureLayout(min),
    MIN_TARGET,
  );
}

for (const language of ['ja', 'en'] as const) {
  for (const c of CASES) {
    test(`${c.name} (${language}) fits 1280×800 with finger-sized targets`, async ({ page }, testInfo) => {
      await page.goto(baseUrl);
      await expect(page.locator('[data-screen="top"]')).toBeVisible();
      await showSnapshot(page, c.screen, { language, ...c.snapshot });
      await expect(page.locator(`[data-screen="${c.screen.id}"]`)).toBeVisible();
      await expect(page.locator('html')).toHaveAttribute('lang', language);
      if (c.openTray === true) {
        await page.getByRole('button', { name: language === 'ja' ? 'カード置き場' : 'Card tray' }).click();
        await expect(page.locator('#card-tray [data-card]')).toHaveCount(2);
      }
      const report = await measure(page);
      await page.screenshot({ path: testInfo.outputPath(`${c.name}-${language}.png`), animations: 'disabled' });
      expect(report.pageOverflow, 'page scrolls').toBe(false);
      expect(report.clipped, 'content cut off').toEqual([]);
      expect(report.smallTargets, 'touch targets too small').toEqual([]);
      expect(report.userSelect).toBe('none');
      expect(report.touchAction).toBe('manipulation');
    });
  }
}

test('a full card tray scrolls its list, keeps 「カードを取り出す」 in view and leaves the header buttons uncovered', async ({ page }) => {
  await page.goto(`${baseUrl}?cards=8`);
  await expect(page.locator('[data-screen="top"]')).toBeVisible();
  await showSnapshot(page, { id: 'place-card', kind: 'sign' }, { journey: 'card', canGoBack: true });
  await page.getByRole('button', { name: 'カード置き場' }).click();
  await expect(page.locator('#card-tray [data-card]')).toHaveCount(8);
  await page.getByRole('button', { name: '番号 花子1' }).click();
  await expect(page.getByRole('button', { name: 'カードを取り出す' })).toBeInViewport({ ratio: 1 });
  await expect(page.getByRole('button', { name: '番号 花子8' })).not.toBeInViewport({ ratio: 1 });
  await page.getByRole('button', { name: '番号 花子8' }).scrollIntoViewIfNeeded();
  await expect(page.getByRole('button', { name: '番号 花子8' })).toBeInViewport({ ratio: 1 });
  await expect(page.getByRole('button', { name: 'カードを取り出す' })).toBeInViewport({ ratio: 1 });
  // What a finger on the header's buttons reaches is the button itself, not the drawer.
  for (const name of ['English', 'やめる']) {
    const box = await page.getByRole('button', { name, exact: true }).boundingBox();
    if (box === null) throw new Error(`${name} is not laid out`);
    const hit = await page.evaluate(
      ([x, y]) => (globalThis as unknown as { document: { elementFromPoint(x: number, y: number): { textContent: string | null } | null } }).document.elementFromPoint(x, y)?.textContent?.trim() ?? null,
      [box.x + box.width / 2, box.y + box.height / 2] as const,
    );
    expect(hit).toBe(name);
  }
  expect((await measure(page)).pageOverflow).toBe(false);
});
