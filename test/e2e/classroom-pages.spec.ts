/**
 * A classroom's pages in a real browser, built with the renderer's production settings and fed by a
 * fake classroom (renderer-harness/console-fake.ts): the trainer's console at /console/ draws each of
 * four stations with the kiosk's real screens, selecting two tiles and pressing 一時停止 asks to pause
 * those two, the CSV button downloads the class summary, the token leaves the address bar, and a
 * refused console says so. A station's page (/s/<n>/) fed a paused snapshot is covered by
 * 「講師の説明中です」, which takes the touches. Screenshots are written next to the results.
 */
import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { loadConfigFromFile } from 'electron-vite';
import type { ConsoleAction } from '../../electron/contract/console';
import type { Intent, Screen, Snapshot } from '../../electron/contract/kiosk';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = path.join(repo, 'test/e2e/.results/classroom-harness-build');

let server: http.Server;
let baseUrl: string;

// Built once with the renderer's own production settings, and served the way a classroom host
// serves the renderer: every page path gets the one HTML file, assets come from /assets/.
test.beforeAll(async () => {
  const loaded = await loadConfigFromFile({ command: 'build', mode: 'production' }, 'electron.vite.config.ts', repo, 'error');
  const renderer = loaded.config.renderer;
  if (renderer === undefined) throw new Error('electron.vite.config.ts has no renderer config');
  await build({
    configFile: false,
    root: path.join(repo, 'test/e2e/renderer-harness'),
    logLevel: 'error',
    plugins: renderer.plugins,
    resolve: renderer.resolve,
    define: renderer.define,
    build: { outDir, emptyOutDir: true, rollupOptions: { input: path.join(repo, 'test/e2e/renderer-harness/console.html') } },
  });
  const page = fs.readFileSync(path.join(outDir, 'console.html'));
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/assets/')) {
      const file = path.join(outDir, path.normalize(url.pathname));
      if (!file.startsWith(path.join(outDir, 'assets')) || !fs.existsSync(file)) return void res.writeHead(404).end();
      const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream';
      return void res.writeHead(200, { 'content-type': type }).end(fs.readFileSync(file));
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

type Fakes = {
  consoleFake: { acts: { stations: number[]; action: ConsoleAction }[]; csv: string };
  kioskFake: { sent: Intent[]; show(s: Screen, o: Partial<Omit<Snapshot, 'screen'>>): void };
};

const acts = (page: Page) => page.evaluate(() => (globalThis as unknown as Fakes).consoleFake.acts);
const sent = (page: Page) => page.evaluate(() => (globalThis as unknown as Fakes).kioskFake.sent);
const tile = (page: Page, n: number) => page.locator(`[data-station-grid] [data-station="${n}"]`);

async function openConsole(page: Page, query = ''): Promise<void> {
  await page.goto(`${baseUrl}/console/${query}#token=trainer-token-123`);
  await expect(page.locator('[data-station-grid] [data-station]')).toHaveCount(4);
}

test.describe('the trainer’s console', () => {
  test.use({ viewport: { width: 1600, height: 1000 }, hasTouch: false });

  test('draws each station with the kiosk’s real screens, and the token leaves the address bar', async ({ page }, testInfo) => {
    await openConsole(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('講師用コンソール');
    // The top menu's tile holds the top menu's own text, drawn by the real TopScreen.
    await expect(tile(page, 1).locator('[data-screen="top"]')).toContainText('ご利用になるサービスを選択してください');
    await expect(tile(page, 2).locator('[data-screen="other-password"]')).toBeAttached();
    await expect(tile(page, 3).locator('[data-screen="guidance"]')).toBeAttached();
    await expect(tile(page, 4).locator('[data-screen="done"]')).toBeAttached();
    // A quarter of the 1280×800 terminal, whole: the screen fills its 320×200 frame.
    const frame = await tile(page, 1).locator('[data-station-screen]').boundingBox();
    const screen = await tile(page, 1).locator('[data-screen]').boundingBox();
    expect(frame && { w: Math.round(frame.width), h: Math.round(frame.height) }).toEqual({ w: 320, h: 200 });
    expect(screen && { w: Math.round(screen.width), h: Math.round(screen.height) }).toEqual({ w: 320, h: 200 });
    // Each tile is one checkbox; the buttons drawn inside it are not the console's.
    await expect(page.getByRole('checkbox', { name: '端末 2' })).toBeVisible();
    await expect(page.getByRole('button', { name: '行政サービス' })).toHaveCount(0);
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('kiosk-sim.console-token'))).toBe('trainer-token-123');
    await page.screenshot({ path: testInfo.outputPath('console-grid.png') });
  });

  test('selecting two tiles and pressing 一時停止 pauses those two', async ({ page }) => {
    await openConsole(page);
    await tile(page, 1).click();
    await tile(page, 3).click();
    await expect(page.locator('[data-testid="selected-count"]')).toHaveText('2台を選択中');
    await page.getByRole('button', { name: '一時停止' }).click();
    await expect.poll(() => acts(page)).toEqual([{ stations: [1, 3], action: { type: 'pause' } }]);
    await expect(tile(page, 1).locator('[data-fact="paused"]')).toHaveText('一時停止中');
    await expect(tile(page, 3).locator('[data-fact="paused"]')).toHaveText('一時停止中');
    await expect(tile(page, 2).locator('[data-fact="paused"]')).toHaveCount(0);
  });

  test('a click where a tile draws a screen’s button selects the tile and sends no intent', async ({ page }) => {
    await openConsole(page);
    const admin = tile(page, 1).locator('[data-service="admin"]');
    const box = await admin.boundingBox();
    if (box === null) throw new Error('the admin tile is not drawn');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect(page.getByRole('checkbox', { name: '端末 1' })).toHaveAttribute('aria-checked', 'true');
    expect(await sent(page)).toEqual([]);
    await expect(tile(page, 1).locator('[data-screen="top"]')).toBeAttached();
  });

  test('the CSV button downloads the class summary as class-summary.csv, with a BOM', async ({ page }) => {
    await openConsole(page);
    await page.getByRole('button', { name: 'クラスのまとめ' }).click();
    await expect(page.locator('[data-testid="finished-count"]')).toHaveText('修了 2 / 4台');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSVをダウンロード' }).click()]);
    expect(download.suggestedFilename()).toBe('class-summary.csv');
    const file = await download.path();
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = await page.evaluate(() => (globalThis as unknown as Fakes).consoleFake.csv);
    expect(bytes.subarray(3).toString('utf8')).toBe(csv);
  });

  test('参加コード: each joinable station’s QR code (its address with its code) and the code to type', async ({ page }) => {
    await openConsole(page);
    await page.getByRole('button', { name: '参加コード' }).click();
    const one = page.locator('[data-join-station="1"]');
    await expect(one.locator('[data-fact="join-code"]')).toHaveText('K7M2QX');
    await expect(one.getByRole('img', { name: '1番の端末に参加するQRコード' }).locator('svg path')).not.toHaveCount(0);
    await expect(page.locator('[data-join-station="2"] [data-fact="join-code"]')).toHaveText('RT8WZP');
    // Stations 3 and 4 have no join (as on a loopback host): no card for them.
    await expect(page.locator('[data-join-station]')).toHaveCount(2);
  });

  test('switches to English', async ({ page }) => {
    await openConsole(page);
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Trainer’s console');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(tile(page, 2).locator('[data-fact="scenario"]')).toHaveText('Reset the signature password');
  });

  test('a console the host refuses says the trainer’s token is needed, not a broken grid', async ({ page }, testInfo) => {
    await page.goto(`${baseUrl}/console/?refuse=NOT_ALLOWED#token=wrong`);
    await expect(page.getByRole('heading', { name: '講師用トークンが必要です' })).toBeVisible();
    await expect(page.locator('[data-station-grid]')).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath('console-refused.png') });
  });
});

test.describe('a station’s page', () => {
  test.use({ viewport: { width: 1280, height: 800 }, hasTouch: true });

  async function openStation(page: Page, n: number): Promise<void> {
    await page.goto(`${baseUrl}/s/${n}/`);
    await expect(page.locator('[data-screen="top"]')).toBeVisible();
    await expect(page.locator('[data-page="console"]')).toHaveCount(0);
  }

  async function show(page: Page, overrides: Partial<Omit<Snapshot, 'screen'>>): Promise<void> {
    const top: Screen = {
      id: 'top',
      services: (['copy', 'print', 'photo', 'scan', 'fax', 'admin'] as const).map((service) => ({ service, enabled: service === 'admin' })),
    };
    await page.evaluate(([s, o]) => (globalThis as unknown as Fakes).kioskFake.show(s, o), [top, overrides] as const);
  }

  test('paused: 「講師の説明中です」 covers everything and takes the touches', async ({ page }, testInfo) => {
    await openStation(page, 2);
    await show(page, { station: { n: 2, paused: true, task: null } });
    const overlay = page.locator('[data-station-paused]');
    await expect(overlay).toBeVisible();
    await expect(overlay.getByRole('heading')).toHaveText('講師の説明中です');
    const box = await overlay.boundingBox();
    expect(box && [box.x, box.y, box.width, box.height]).toEqual([0, 0, 1280, 800]);
    // A touch on 行政サービス reaches the overlay, not the screen.
    const admin = await page.locator('[data-service="admin"]').boundingBox();
    if (admin === null) throw new Error('the admin tile is not laid out');
    await page.touchscreen.tap(admin.x + admin.width / 2, admin.y + admin.height / 2);
    await page.mouse.click(admin.x + admin.width / 2, admin.y + admin.height / 2);
    expect(await sent(page)).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath('station-paused.png') });
    await show(page, { station: { n: 2, paused: false, task: null } });
    await expect(overlay).toHaveCount(0);
    await page.locator('[data-service="admin"]').click();
    await expect.poll(() => sent(page)).toEqual([{ type: 'choose-service', service: 'admin' }]);
  });

  test('the task card opens and closes, in the kiosk’s language', async ({ page }, testInfo) => {
    await openStation(page, 1);
    const task = { ja: '署名用電子証明書のパスワードを再設定してください。', en: 'Reset the signature certificate password.' };
    await show(page, { station: { n: 1, paused: false, task } });
    await expect(page.locator('#station-task')).toContainText(task.ja);
    await page.screenshot({ path: testInfo.outputPath('station-task.png') });
    await page.getByRole('button', { name: '閉じる' }).click();
    await expect(page.locator('#station-task')).toHaveCount(0);
    await page.getByRole('button', { name: '課題' }).click();
    await expect(page.locator('#station-task')).toBeVisible();
    await show(page, { language: 'en', station: { n: 1, paused: false, task } });
    await expect(page.locator('#station-task')).toContainText(task.en);
  });
});
