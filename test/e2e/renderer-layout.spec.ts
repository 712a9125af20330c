/**
 * Every kiosk screen, in Japanese and English, laid out by a real browser on every window the
 * kiosk must fit — the 1280×800 terminal, the landscape tablets trainees bring (1024×768 to
 * 1920×1080) and portrait ones: nothing needs scrolling, is cut off or drawn outside the window,
 * the stage fills the window, every touch target is big enough for a finger at the 1280×800-equivalent
 * scale, text cannot be selected, and in portrait no text is drawn smaller than the 1280×800 design
 * draws it. The screens are fed snapshots by the fake window.kiosk (renderer-harness/), so this
 * checks what the renderer draws, not what the core decides. One page per window size; screenshots
 * of every screen go to .results/layout/screens/<size>/ for a human look.
 */
import { test, expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview, type PreviewServer } from 'vite';
import { loadConfigFromFile } from 'electron-vite';
import type { Screen, Snapshot } from '../../electron/contract/kiosk';
import { LAYOUT_CASES as CASES } from './renderer-layout-cases';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Smallest width and height of anything a finger must hit (CSS px at the 1280×800 baseline). */
const MIN_TARGET = 60;

/** "Wholly in view": a scaled stage puts edges at fractions of a pixel (a ratio of 0.9999998). */
const WHOLLY = 0.99;

/** The 1280×800 design, whose text sizes a portrait window must not go below. */
const DESIGN = { width: 1280, height: 800 } as const;

/** Every window the kiosk must fit: the terminal, landscape tablets, portrait tablets. */
const SIZES = [
  DESIGN,
  { width: 1024, height: 768 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
  { width: 768, height: 1024 },
  { width: 800, height: 1280 },
  { width: 1080, height: 1920 },
] as const;

let server: PreviewServer;
let baseUrl: string;

// The harness is built once, with the renderer's own production settings (aliases, the vue-i18n
// runtime without its compiler, feature flags) from electron.vite.config.ts, and served from disk:
// what is measured is what ships.
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

/** What the harness measures (renderer-harness/main.ts: LayoutReport, which is in the DOM project). */
interface LayoutReport {
  readonly scale: number;
  readonly stage: { readonly width: number; readonly height: number };
  readonly coversViewport: boolean;
  readonly pageOverflow: boolean;
  readonly clipped: string[];
  readonly outside: string[];
  readonly covered: string[];
  readonly smallTargets: string[];
  readonly smallerText: string[] | null;
  readonly comparedText: number;
  readonly userSelect: string;
  readonly touchAction: string;
}

/** The harness's functions on window.layoutHarness (renderer-harness/main.ts). */
interface LayoutHarness {
  measureLayout(minTarget: number): Promise<LayoutReport>;
  recordDesignFonts(): Promise<number>;
  showSnapshot(screen: Screen, overrides: Partial<Omit<Snapshot, 'screen'>>): Promise<void>;
}

function harness<K extends keyof LayoutHarness>(page: Page, fn: K, ...args: Parameters<LayoutHarness[K]>): Promise<Awaited<ReturnType<LayoutHarness[K]>>> {
  return page.evaluate(
    ([f, a]) => {
      const h = (globalThis as unknown as { layoutHarness: Record<string, (...x: unknown[]) => unknown> }).layoutHarness;
      return h[f]!(...a);
    },
    [fn, args] as const,
  ) as Promise<Awaited<ReturnType<LayoutHarness[K]>>>;
}

function showSnapshot(page: Page, screen: Screen, overrides: Partial<Omit<Snapshot, 'screen'>>): Promise<void> {
  return harness(page, 'showSnapshot', screen, overrides);
}

/** Measured in the page by the harness (renderer-harness/main.ts: measureLayout). */
function measure(page: Page): Promise<LayoutReport> {
  return harness(page, 'measureLayout', MIN_TARGET);
}

/** Opens the trainer's drawer on its card list or its settings, as a trainer's finger does. */
async function openTray(page: Page, tab: Locator, view: 'cards' | 'settings', language: 'ja' | 'en'): Promise<void> {
  await tab.click();
  const names = { cards: { ja: 'カード', en: 'Cards' }, settings: { ja: '設定', en: 'Settings' } } as const;
  await page.locator('#card-tray').getByRole('button', { name: names[view][language], exact: true }).click();
  if (view === 'cards') await expect(page.locator('#card-tray [data-card]')).toHaveCount(2);
  else await expect(page.locator('#card-tray [data-setting="chain"]')).toBeVisible();
}

type Size = (typeof SIZES)[number];
const sizeName = (s: Size) => `${s.width}x${s.height}`;
const isPortrait = (s: Size) => s.height > s.width;

function screenshotPath(testInfo: TestInfo, size: Size, file: string): string {
  return path.join(testInfo.project.outputDir, 'screens', sizeName(size), file);
}

function expectFits(report: LayoutReport, size: Size): void {
  expect(report.coversViewport, 'the stage fills the window').toBe(true);
  expect(report.pageOverflow, 'page scrolls').toBe(false);
  expect(report.clipped, 'content cut off').toEqual([]);
  expect(report.outside, 'drawn outside the window').toEqual([]);
  expect(report.covered, 'buttons under something else').toEqual([]);
  expect(report.smallTargets, 'touch targets too small').toEqual([]);
  expect(report.userSelect).toBe('none');
  expect(report.touchAction).toBe('manipulation');
  if (isPortrait(size)) {
    // A portrait tablet uses its height: a tall stage, not a small landscape box.
    expect(report.stage.height, 'portrait stage is tall').toBeGreaterThan(report.stage.width);
    expect(report.scale, 'portrait is never scaled below the design').toBeGreaterThanOrEqual(1);
  }
}

for (const size of SIZES) {
  test.describe(`${size.width}×${size.height}`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    // One page per window size; each screen is a snapshot fed to it.
    let page: Page;
    test.beforeAll(async ({ browser }) => {
      page = await browser.newPage({ viewport: { width: size.width, height: size.height }, hasTouch: true });
      await page.goto(baseUrl);
      await expect(page.locator('[data-screen="top"]')).toBeVisible();
    });
    test.afterAll(async () => {
      await page?.close();
    });

    for (const language of ['ja', 'en'] as const) {
      for (const c of CASES) {
        test(`${c.name} (${language}) fits with finger-sized targets`, async () => {
          const testInfo = test.info();
          // In portrait, the same screen is first drawn at the design size to know its text sizes.
          if (isPortrait(size)) await page.setViewportSize(DESIGN);
          await showSnapshot(page, c.screen, { language, ...c.snapshot });
          await expect(page.locator(`[data-screen="${c.screen.id}"]`)).toBeVisible();
          await expect(page.locator('html')).toHaveAttribute('lang', language);
          const tab = page.getByRole('button', { name: language === 'ja' ? 'カード置き場' : 'Card tray' });
          if (c.openTray !== undefined) await openTray(page, tab, c.openTray, language);
          if (c.snapshot?.timeout?.warning === true) await expect(page.locator('[data-overlay="timeout"]')).toBeVisible();
          let recorded = 0;
          if (isPortrait(size)) {
            recorded = await harness(page, 'recordDesignFonts');
            await page.setViewportSize({ width: size.width, height: size.height });
          }
          const report = await measure(page);
          await page.screenshot({ path: screenshotPath(testInfo, size, `${c.name}-${language}.png`), animations: 'disabled' });
          if (c.openTray !== undefined) {
            await tab.click();
            await expect(page.locator('#card-tray')).toHaveCount(0);
          }
          expectFits(report, size);
          if (isPortrait(size)) {
            expect(recorded, 'texts recorded at the design size').toBeGreaterThan(0);
            expect(report.comparedText, 'texts compared with the design size').toBe(recorded);
            expect(report.smallerText, 'text smaller than at 1280×800').toEqual([]);
          }
        });
      }
    }

    test('a full card tray scrolls its list, keeps 「カードを取り出す」 in view and leaves the header buttons uncovered', async ({ page: full }, testInfo) => {
      // More cards than the tallest stage's drawer shows at once.
      const stock = 20;
      const placeButton = (n: number) => full.getByRole('button', { name: new RegExp(`^番号 花子${n}さん`) });
      await full.goto(`${baseUrl}?cards=${stock}`);
      await expect(full.locator('[data-screen="top"]')).toBeVisible();
      await showSnapshot(full, { id: 'place-card', kind: 'sign' }, { journey: 'card', canGoBack: true });
      await full.getByRole('button', { name: 'カード置き場' }).click();
      await expect(full.locator('#card-tray [data-card]')).toHaveCount(stock);
      await placeButton(1).click();
      await expect(full.getByRole('button', { name: 'カードを取り出す' })).toBeInViewport({ ratio: WHOLLY });
      await expect(placeButton(stock)).not.toBeInViewport({ ratio: WHOLLY });
      await placeButton(stock).scrollIntoViewIfNeeded();
      await expect(placeButton(stock)).toBeInViewport({ ratio: WHOLLY });
      await expect(full.getByRole('button', { name: 'カードを取り出す' })).toBeInViewport({ ratio: WHOLLY });
      // What a finger on the header's buttons reaches is the button itself, not the drawer.
      for (const name of ['English', 'やめる']) {
        const box = await full.getByRole('button', { name, exact: true }).boundingBox();
        if (box === null) throw new Error(`${name} is not laid out`);
        const hit = await full.evaluate(
          ([x, y]) => (globalThis as unknown as { document: { elementFromPoint(x: number, y: number): { textContent: string | null } | null } }).document.elementFromPoint(x, y)?.textContent?.trim() ?? null,
          [box.x + box.width / 2, box.y + box.height / 2] as const,
        );
        expect(hit).toBe(name);
      }
      await full.screenshot({ path: screenshotPath(testInfo, size, 'card-tray-full-ja.png'), animations: 'disabled' });
      const report = await measure(full);
      expect(report.pageOverflow).toBe(false);
      expect(report.outside, 'drawn outside the window').toEqual([]);
      expect(report.covered, 'buttons under something else').toEqual([]);
      expect(report.smallTargets, 'touch targets too small').toEqual([]);
    });
  });
}
