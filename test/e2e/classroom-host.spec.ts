/**
 * The built renderer on a real classroom host (electron/classroom/host.ts) with three stations over
 * fake readers and center: the console opened from the host's own address finds its socket, keeps
 * the token out of the address bar, draws the stations and pauses one, whose own page (a second
 * browser tab) is then covered by 「講師の説明中です」; a console with a wrong token says so and
 * stops there, so this machine's station pages are not locked out by the host's failed-join limit.
 */
import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { loadConfigFromFile } from 'electron-vite';
import { ClassroomConsole } from '../../electron/classroom/console';
import { startClassroomHost, type ClassroomHost } from '../../electron/classroom/host';
import { Station } from '../../electron/classroom/station';
import type { AppBackend, TrainerBackend } from '../../electron/contract/backends';
import { FileResetJournal } from '../../electron/kiosk/journal';
import { MemoryEventRecord } from '../../electron/kiosk/record';
import { KioskCore } from '../../electron/kiosk/session';
import { SettingsStore } from '../../electron/kiosk/settings';
import { FakeCenter, FakeReader, FakeScheduler } from '../fakes/kiosk';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rendererDir = path.join(repo, 'test/e2e/.results/classroom-renderer-build');
const TOKEN = 'trainer-token-for-the-e2e-classroom';

let host: ClassroomHost;
const stops: (() => void)[] = [];
let dataDir: string;

/** A station's card tray: two cards, one on the reader at a time. */
function tray(): TrainerBackend {
  let placed: string | null = null;
  const cards = [
    { name: 'adult', persona: 'adult', holderName: '番号 花子' },
    { name: 'sign-locked', persona: 'sign-locked', holderName: '鍵田 一郎' },
  ];
  const view = () => ({ available: true, cards, placed });
  return {
    listCards: async () => view(),
    placeCard: async (name: string) => {
      placed = name;
      return { ok: true, cards: view() };
    },
    removeCard: async () => {
      placed = null;
      return { ok: true, cards: view() };
    },
  };
}

const phone: AppBackend = {
  view: () => ({ state: { step: 'idle' }, busy: false, reader: 'phone' }),
  send: async () => ({ ok: false, problem: 'not-now' }),
  getCenter: async () => ({ ok: false, problem: 'unavailable' }),
  updateCenter: async () => ({ ok: false, problem: 'unavailable' }),
};

test.beforeAll(async () => {
  // The renderer as the packaged app builds it (relative asset paths: /s/<n>/assets/… and
  // /console/assets/… are the host's static files).
  const loaded = await loadConfigFromFile({ command: 'build', mode: 'production' }, 'electron.vite.config.ts', repo, 'error');
  const renderer = loaded.config.renderer;
  if (renderer === undefined) throw new Error('electron.vite.config.ts has no renderer config');
  await build({
    configFile: false,
    root: path.join(repo, 'renderer'),
    base: './',
    logLevel: 'error',
    plugins: renderer.plugins,
    resolve: renderer.resolve,
    define: renderer.define,
    build: { outDir: rendererDir, emptyOutDir: true },
  });

  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'classroom-e2e-'));
  const stations = [1, 2, 3].map((n) => {
    const core = new KioskCore({
      reader: new FakeReader(),
      center: new FakeCenter(() => Date.now()),
      journal: new FileResetJournal(path.join(dataDir, `journal-${n}.jsonl`)),
      events: new MemoryEventRecord(),
      settings: new SettingsStore(null, {}),
      scheduler: new FakeScheduler(),
    });
    stops.push(() => core.stop());
    return new Station({ n, core, tray: tray(), app: phone });
  });
  // The console's `cards` are the tray as last listed (Station.trayView): list each once, as a
  // host does when it sets its stations up.
  for (const s of stations) await s.tray.listCards();
  host = await startClassroomHost({
    rendererDir,
    stations,
    console: new ClassroomConsole({ stations }),
    trainerToken: TOKEN,
    joinCodes: ['AAAAAA', 'BBBBBB', 'CCCCCC'],
    port: 0,
    log: () => undefined,
  });
});

let hostClosed = false;

test.afterAll(async () => {
  if (!hostClosed) await host?.close();
  for (const stop of stops) stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

const tile = (page: Page, n: number) => page.locator(`[data-station-grid] [data-station="${n}"]`);

test.use({ viewport: { width: 1600, height: 1000 } });

test('the console finds its classroom, pauses a station, and that station’s page shows the pause', async ({ page, context }) => {
  await page.goto(host.consoleUrl());
  await expect(page.locator('[data-station-grid] [data-station]')).toHaveCount(3);
  expect(new URL(page.url()).hash).toBe('');
  for (const n of [1, 2, 3]) await expect(tile(page, n).locator('[data-screen="top"]')).toContainText('ご利用になるサービスを選択してください');

  const station = await context.newPage();
  await station.setViewportSize({ width: 1280, height: 800 });
  await station.goto(host.stationUrl(2));
  await expect(station.locator('[data-screen="top"]')).toBeVisible();
  await expect(station.locator('[data-station-paused]')).toHaveCount(0);

  await tile(page, 2).click();
  await page.getByRole('button', { name: '一時停止' }).click();
  await expect(tile(page, 2).locator('[data-fact="paused"]')).toHaveText('一時停止中');
  await expect(station.getByRole('heading', { name: '講師の説明中です' })).toBeVisible();
  // The other stations were not touched.
  await expect(tile(page, 1).locator('[data-fact="paused"]')).toHaveCount(0);

  // The trainee's page moves on; the console's tile follows.
  await page.getByRole('button', { name: '再開' }).click();
  await expect(station.locator('[data-station-paused]')).toHaveCount(0);
  await station.locator('[data-service="admin"]').click();
  await expect(tile(page, 2).locator('[data-screen="admin-menu"]')).toBeAttached();
  await expect(tile(page, 2).locator('[data-fact="step"]')).toHaveText('行政サービスメニュー');

  // A card placed from the console is on that station's reader.
  await expect(page.locator('[data-field="card"] option')).toHaveText(['カードを選んでください', 'adult', 'sign-locked']);
  await page.locator('[data-field="card"]').selectOption('sign-locked');
  await page.getByRole('button', { name: 'カードを置く' }).click();
  await expect(tile(page, 2).locator('[data-fact="card"]')).toHaveText('カード: sign-locked');

  // A reload keeps working without the token in the address.
  await page.reload();
  await expect(page.locator('[data-station-grid] [data-station]')).toHaveCount(3);
});

test('a console with a wrong token says so after one try, and this machine’s station pages still open', async ({ page }) => {
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  await page.goto(`${host.origin}/console/#token=not-the-token`);
  await expect(page.getByRole('heading', { name: '講師用トークンが違います' })).toBeVisible();
  await expect(page.locator('[data-station-grid]')).toHaveCount(0);
  // One refused socket, no retries: each would count against this address's failed joins.
  await page.waitForTimeout(2500);
  expect(sockets).toEqual([`${host.origin.replace('http', 'ws')}/console/ws?t=not-the-token`]);
  const r = await page.request.get(host.stationUrl(1));
  expect(r.status()).toBe(200);
  // The refused token is not kept: a reload asks for the trainer's address instead of trying it again.
  await page.reload();
  await expect(page.getByRole('heading', { name: '講師用トークンが必要です' })).toBeVisible();
  expect(sockets).toHaveLength(1);
});

test('a console without a token says one is needed, and opens no socket', async ({ page }) => {
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  await page.goto(`${host.origin}/console/`);
  await expect(page.getByRole('heading', { name: '講師用トークンが必要です' })).toBeVisible();
  await page.waitForTimeout(500);
  expect(sockets).toEqual([]);
});

// Last: it stops the host.
test('when the host goes away, the console marks its grid, then says the classroom is lost', async ({ page }) => {
  test.setTimeout(45_000);
  await page.goto(host.consoleUrl());
  await expect(page.locator('[data-station-grid] [data-station]')).toHaveCount(3);
  hostClosed = true;
  await host.close();
  await expect(page.locator('.stale')).toHaveText('教室との接続が切れています。再接続しています');
  await expect(page.getByRole('heading', { name: '教室との接続が切れました' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'もう一度接続する' })).toBeVisible();
});
