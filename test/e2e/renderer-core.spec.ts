/**
 * A whole reset on the kiosk screens: the built renderer in Chromium, the real WebSocket transport
 * and the real kiosk core (state machine, effects, journal), with the core's test card, reader and
 * center behind its ports — so the card's PINs and the booking are known, and time only moves when
 * the test says (test/fakes/kiosk.ts). What is checked is what the citizen sees and what ends up on
 * the card and at the center. (The same screens against pcscd and the real center: kiosk-screens.spec.)
 */
import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { attachKioskWebSocket, type KioskWs } from '../../electron/host/kiosk-ws';
import { serveStatic } from '../../electron/host/static-files';
import { FileResetJournal } from '../../electron/kiosk/journal';
import { MemoryEventRecord } from '../../electron/kiosk/record';
import { KioskCore } from '../../electron/kiosk/session';
import { SettingsStore } from '../../electron/kiosk/settings';
import { FakeCard, FakeCenter, FakeReader, FakeScheduler } from '../fakes/kiosk';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rendererDir = path.join(repo, 'out/renderer');

interface Kiosk {
  readonly url: string;
  readonly reader: FakeReader;
  readonly center: FakeCenter;
  readonly scheduler: FakeScheduler;
  readonly events: MemoryEventRecord;
  stop(): Promise<void>;
}

async function startKiosk(): Promise<Kiosk> {
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) throw new Error('build the renderer first: npx electron-vite build');
  const reader = new FakeReader();
  const center = new FakeCenter(() => Date.now());
  const scheduler = new FakeScheduler();
  const events = new MemoryEventRecord();
  const journalFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-reset-e2e-')), 'journal.jsonl');
  const core = new KioskCore({
    reader,
    center,
    journal: new FileResetJournal(journalFile),
    events,
    // 10:00 in Japan, inside service hours; timeouts: 60 s, the last 10 s with the dialog.
    settings: new SettingsStore(null, {
      clock: { mode: 'fixed', at: Date.parse('2026-11-25T10:00:00+09:00') },
      timeouts: { inactivitySeconds: 60, warningSeconds: 10, takeCardSeconds: 30 },
    }),
    scheduler,
  });
  await core.start();
  const server = http.createServer((req, res) => serveStatic(rendererDir, req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  const ws: KioskWs = attachKioskWebSocket(server, core, { allowedOrigins: [origin] });
  return {
    url: `${origin}/`,
    reader,
    center,
    scheduler,
    events,
    stop: async () => {
      await ws.close();
      core.stop();
      await new Promise<void>((r) => server.close(() => r()));
      fs.rmSync(path.dirname(journalFile), { recursive: true, force: true });
    },
  };
}

let kiosk: Kiosk;
test.beforeEach(async () => {
  kiosk = await startKiosk();
});
test.afterEach(async () => {
  await kiosk?.stop();
});

/** Types on the on-screen keypad or keyboard, one touch per character. */
async function typeOnScreen(page: Page, value: string): Promise<void> {
  for (const key of value) await page.getByRole('button', { name: key, exact: true }).click();
}

async function toNotice(page: Page, reset: string): Promise<void> {
  await page.goto(kiosk.url);
  await page.getByRole('button', { name: '行政サービス' }).click();
  await page.getByRole('button', { name: 'マイナンバーカード' }).click();
  await page.getByRole('button', { name: reset }).click();
  await expect(page.locator('[data-screen="notice"]')).toBeVisible();
}

test('署名用: a wrong PIN, a mismatched confirmation, then the reset — the card takes the new password', async ({ page }) => {
  const card = new FakeCard({ pins: { auth: '1234', sign: 'OLD1PASS' } });
  kiosk.center.book(card.cardId, 'sign');

  await toNotice(page, '署名用電子証明書のパスワードの初期化・再設定');
  await page.getByRole('button', { name: '同意する' }).click();
  await expect(page.getByTestId('reader-status')).toHaveText('カードが置かれるのを待っています');
  kiosk.reader.insert(card);

  const other = page.locator('[data-screen="other-password"]');
  await expect(other.getByRole('heading', { name: '利用者証明用電子証明書の暗証番号を入力してください' })).toBeVisible();
  await expect(other.getByTestId('tries-left')).toHaveText('残り入力回数 3回');
  await typeOnScreen(page, '9999');
  await other.getByRole('button', { name: '確定' }).click();
  await expect(other.getByRole('alert')).toHaveText('暗証番号が正しくありません。');
  await expect(other.getByTestId('tries-left')).toHaveText('残り入力回数 2回');
  await expect(other.getByRole('textbox')).toHaveText('');
  await typeOnScreen(page, '1234');
  await expect(other.getByRole('textbox')).toHaveText('●●●●');
  await other.getByRole('button', { name: '確定' }).click();

  const fresh = page.locator('[data-screen="new-password"]');
  await expect(fresh.getByRole('heading', { name: '新しい署名用電子証明書のパスワードを入力してください' })).toBeVisible();
  await typeOnScreen(page, 'NEWPASS');
  await expect(fresh.getByTestId('live-hint')).toHaveText('数字(0〜9)を1文字以上含めてください');
  await expect(fresh.getByRole('button', { name: '確定' })).toBeDisabled();
  await typeOnScreen(page, '1');
  await expect(fresh.getByTestId('live-hint')).toHaveText('この内容で確定できます');
  await fresh.getByRole('button', { name: '確定' }).click();
  await expect(fresh.getByRole('heading', { name: '確認のため、もう一度入力してください' })).toBeVisible();
  await typeOnScreen(page, 'NEWPASS2');
  await fresh.getByRole('button', { name: '確定' }).click();
  await expect(fresh.getByRole('alert')).toHaveText('1回目と2回目の入力が一致しませんでした。もう一度、最初から入力してください。');

  await typeOnScreen(page, 'NEWPASS1');
  await fresh.getByRole('button', { name: '確定' }).click();
  await expect(fresh.getByRole('heading', { name: '確認のため、もう一度入力してください' })).toBeVisible();
  await typeOnScreen(page, 'NEWPASS1');
  await fresh.getByRole('button', { name: '確定' }).click();

  await expect(page.locator('[data-screen="done"]').getByRole('heading', { name: '手続きが完了しました' })).toBeVisible();
  expect(card.pins.sign).toBe('NEWPASS1');
  expect(kiosk.center.reservations[0]?.state).toBe('used');
  await page.getByRole('button', { name: '次へ' }).click();
  await expect(page.locator('[data-screen="take-card"]').getByRole('heading', { name: 'カードをお取りください' })).toBeVisible();
  kiosk.reader.remove();
  await expect(page.locator('[data-screen="top"]')).toBeVisible();
});

test('利用者証明用 in English: the signature password on the keyboard, a new 4-digit PIN on the keypad', async ({ page }) => {
  const card = new FakeCard({ pins: { auth: '1234', sign: 'OLD1PASS' } });
  kiosk.center.book(card.cardId, 'auth');
  await page.goto(kiosk.url);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('button', { name: 'Government services' }).click();
  await page.getByRole('button', { name: 'My Number Card' }).click();
  await page.getByRole('button', { name: 'Reset the User authentication PIN' }).click();
  await page.getByRole('button', { name: 'I agree' }).click();
  kiosk.reader.insert(card);

  const other = page.locator('[data-screen="other-password"]');
  await expect(other.getByRole('heading', { name: 'Please enter your signature certificate password' })).toBeVisible();
  await expect(other.getByTestId('tries-left')).toHaveText('Tries left: 5');
  await typeOnScreen(page, 'OLD1PASS');
  await other.getByRole('button', { name: 'Show' }).click();
  await expect(other.getByRole('textbox')).toHaveText('OLD1PASS');
  await other.getByRole('button', { name: 'Enter' }).click();

  const fresh = page.locator('[data-screen="new-password"]');
  await expect(fresh.getByRole('heading', { name: 'Please enter a new User authentication PIN' })).toBeVisible();
  await expect(fresh.getByRole('button', { name: 'A', exact: true })).toHaveCount(0);
  await typeOnScreen(page, '2468');
  await fresh.getByRole('button', { name: 'Enter' }).click();
  await typeOnScreen(page, '2468');
  await fresh.getByRole('button', { name: 'Enter' }).click();
  await expect(page.locator('[data-screen="done"]').getByRole('heading', { name: 'The procedure is complete' })).toBeVisible();
  expect(card.pins.auth).toBe('2468');
});

test('the card taken off while the PIN is asked: guidance says nothing was changed', async ({ page }) => {
  const card = new FakeCard();
  kiosk.center.book(card.cardId, 'sign');
  await toNotice(page, '署名用電子証明書のパスワードの初期化・再設定');
  await page.getByRole('button', { name: '同意する' }).click();
  kiosk.reader.insert(card);
  await expect(page.locator('[data-screen="other-password"]')).toBeVisible();
  await typeOnScreen(page, '12');
  kiosk.reader.remove();
  const guidance = page.locator('[data-screen="guidance"]');
  await expect(guidance.getByRole('heading', { name: 'カードが取り外されました' })).toBeVisible();
  await expect(guidance.getByTestId('card-change')).toHaveText('カードの内容は変更されていません。');
  expect(card.commands.filter((c) => c.startsWith('verify'))).toEqual([]);
});

test('inactivity: the countdown dialog, 続ける keeps the session, silence ends it', async ({ page }) => {
  await toNotice(page, '署名用電子証明書のパスワードの初期化・再設定');
  await expect(page.getByRole('timer')).toHaveText('残り60秒');
  await kiosk.scheduler.advance(52_000);
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('あと8秒で手続きを終了します');
  await dialog.getByRole('button', { name: '続ける' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('[data-screen="notice"]')).toBeVisible();
  await expect(page.getByRole('timer')).toHaveText('残り60秒');
  await kiosk.scheduler.advance(61_000);
  // No card on the reader: the session ends straight at the top menu.
  await expect(page.locator('[data-screen="top"]')).toBeVisible();
});
