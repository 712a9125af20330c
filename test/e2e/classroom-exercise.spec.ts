/**
 * A classroom of two stations on the real stack (pcscd + vpcd readers, the embedded center, the
 * built renderer), in Debian's Chromium: the trainer's console and two trainees' station pages.
 * The trainer assigns an exercise to each station from the console; trainee 1 resets the 署名用
 * password by touch with the exercise card from their own tray, trainee 2 does not know either
 * password and reaches the counter guidance without touching the card. The console shows both
 * outcomes, and the CSV it downloads holds them.
 */
import { test, expect, type Browser, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_IN_SCENARIO_DIR } from '../../electron/classroom/scenario';
import { loadClassroomScenarios } from '../../electron/classroom/scenario-catalog';
import { startClassroom, type Classroom } from '../../electron/classroom/start';
import { cardFilePath } from '../../native/card/card-file';
import { PERSONAS } from '../../native/card/personas';
import { cardCounters } from '../../electron/classroom/card-observation';
import { verifyOnCard } from './cards';
import { words } from './fixtures';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'classroom-e2e-'));
let room: Classroom;

test.beforeAll(async () => {
  room = await startClassroom({
    stations: 2,
    dir,
    rendererDir: path.join(repo, 'out/renderer'),
    port: 0,
    scenarios: loadClassroomScenarios(BUILT_IN_SCENARIO_DIR),
    log: () => undefined,
  });
});

test.afterAll(async () => {
  await room?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function open(browser: Browser, url: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(url);
  return page;
}

const screen = (page: Page, id: string) => page.locator(`[data-screen="${id}"]`);

async function touch(page: Page, where: string, name: string, exact = false): Promise<void> {
  const s = screen(page, where);
  await expect(s).toBeVisible();
  await s.getByRole('button', { name, exact }).click();
}

async function type(page: Page, where: string, value: string): Promise<void> {
  const s = screen(page, where);
  for (const ch of value) await s.getByRole('button', { name: ch, exact: true }).click();
  await s.getByRole('button', { name: words.submit, exact: true }).click();
}

/** The trainee takes the exercise card from their own tray and puts it on their reader. */
async function placeOwnCard(page: Page, holder: string): Promise<void> {
  await page.getByRole('button', { name: 'カード置き場' }).click();
  const tray = page.getByRole('complementary', { name: 'シミュレータ:カード置き場' });
  await tray.getByRole('button', { name: `${holder}さんのカードを置く` }).click();
  await expect(tray.getByText('読み取り機の上')).toBeVisible();
  await tray.getByRole('button', { name: '閉じる' }).click();
}

/** The trainee reads the task the trainer gave (it opens by itself), then closes it. */
async function readTask(page: Page, words: string): Promise<void> {
  const task = page.locator('[data-station-task]');
  await expect(task.locator('.text')).toContainText(words);
  await task.getByRole('button', { name: '閉じる' }).click();
}

async function assign(trainer: Page, station: number, scenario: string): Promise<void> {
  await trainer.locator(`[data-station="${station}"]`).first().click();
  await trainer.locator('[data-field="scenario"]').selectOption(scenario);
  await trainer.locator('[data-action="assign-scenario"]').click();
  await expect(trainer.locator(`[data-station="${station}"][data-outcome="in-progress"]`).first()).toBeVisible();
  await trainer.locator('[data-action="select-none"]').click();
}

test.setTimeout(120_000);

test('the trainer assigns two exercises; one trainee resets by touch, the other reaches the counter guidance; the console and its CSV show both', async ({ browser }) => {
  const trainer = await open(browser, room.host.consoleUrl());
  await expect(trainer.locator('[data-station="2"]').first()).toBeVisible();
  await assign(trainer, 1, 'sign-reset');
  await assign(trainer, 2, 'both-passwords-unknown');

  const one = await open(browser, room.host.stationUrl(1));
  const two = await open(browser, room.host.stationUrl(2));
  await readTask(one, 'SAKURA2026');
  await readTask(two, '忘田 三子');

  // Trainee 1: the whole 署名用 reset, to the password the task names.
  await touch(one, 'top', words.admin);
  await touch(one, 'admin-menu', words.myNumberCard);
  await touch(one, 'card-menu', words.resetSign);
  await touch(one, 'notice', words.agree);
  await expect(screen(one, 'place-card')).toBeVisible();
  await placeOwnCard(one, '番号 花子');
  await expect(screen(one, 'other-password')).toBeVisible({ timeout: 15_000 });
  await type(one, 'other-password', PERSONAS.adult.pins.auth as string);
  await expect(screen(one, 'new-password').locator('[data-step="first"]')).toBeVisible({ timeout: 15_000 });
  await type(one, 'new-password', 'SAKURA2026');
  await expect(screen(one, 'new-password').locator('[data-step="confirm"]')).toBeVisible();
  await type(one, 'new-password', 'SAKURA2026');
  await expect(screen(one, 'done')).toBeVisible({ timeout: 20_000 });

  // Trainee 2: does not know the other password, and says so instead of guessing.
  await touch(two, 'top', words.admin);
  await touch(two, 'admin-menu', words.myNumberCard);
  await touch(two, 'card-menu', words.resetSign);
  await touch(two, 'notice', words.agree);
  await placeOwnCard(two, '忘田 三子');
  await touch(two, 'other-password', words.dontKnow);
  await expect(screen(two, 'guidance').locator('[data-reason="both-passwords-unknown"]')).toBeVisible();

  // The console: both judged, each with its reason.
  await expect(trainer.locator('[data-station="1"][data-outcome="succeeded"]').first()).toBeVisible({ timeout: 15_000 });
  await expect(trainer.locator('[data-station="2"][data-outcome="succeeded"]').first()).toBeVisible({ timeout: 15_000 });
  // The class summary, downloaded from the console as the trainer would.
  await trainer.locator('[data-view="summary"]').click();
  const [download] = await Promise.all([trainer.waitForEvent('download'), trainer.locator('[data-action="csv"]').click()]);
  expect(download.suggestedFilename()).toBe('class-summary.csv');
  const csv = fs.readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
  expect(csv).toMatch(/\r\n1,sign-reset,succeeded,reset-done,\d+,0,0\r\n/);
  expect(csv).toMatch(/\r\n2,both-passwords-unknown,succeeded,guidance-reached,\d+,0,1\r\n/);
  // What the trainee typed is in no export, and the card itself took the new password.
  expect(csv).not.toContain('SAKURA2026');
  const exercise1 = cardFilePath(path.join(dir, 'station-01', 'cards'), 'exercise');
  const exercise2 = cardFilePath(path.join(dir, 'station-02', 'cards'), 'exercise');
  expect(await verifyOnCard(exercise1, 'sign', 'SAKURA2026')).toEqual({ result: 'verified' });
  // Trainee 2 left the card alone: no try spent on either password.
  expect(cardCounters(exercise2).triesLeft).toEqual({ sign: 5, auth: 3 });
});
