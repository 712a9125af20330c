/**
 * `npm run screens`: photographs every kiosk screen, as the real browser host shows it with a real
 * card on the virtual reader and the real center, into docs/screens/<nn>-<screen>.png (Japanese,
 * and a few in English). Not part of `npm test` (screens.config.ts runs only this file): the PNGs
 * are committed, and regenerated when the screens change.
 *
 * The kiosk's clock is frozen at 10:00 Japan time today, so the header shows the same time on
 * every picture. The two waiting screens (予約確認中 and the 「取り外さないでください」 step) last a
 * few milliseconds; a CenterGate holds the center's answer for the moment of the picture.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { PERSONAS } from '../../native/card/personas';
import { expect, test, words, type Kiosk } from './fixtures';
import { jstToday, repo } from './host';

const OUT = path.join(repo, 'docs/screens');
const AUTH = PERSONAS.adult.pins.auth as string;
const FROZEN_10AM = { mode: 'fixed', at: jstToday(10) } as const;
/** The timeouts a fresh simulator ships with (electron/kiosk/settings.ts), so the countdowns read as in use. */
const SHIPPED_TIMEOUTS = { inactivitySeconds: 60, warningSeconds: 20, takeCardSeconds: 30 } as const;

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  // No hover or pressed state on the picture.
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(OUT, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

/** Touches keys without 確定 (to show a half-typed entry). */
async function typeKeys(kiosk: Kiosk, screen: 'other-password' | 'new-password', value: string): Promise<void> {
  const s = kiosk.screen(screen);
  for (const ch of value) await s.getByRole('button', { name: ch, exact: true }).click();
}

test.describe('the 署名用 reset', () => {
  test.use({ setup: { centerGate: true, clock: FROZEN_10AM, timeouts: SHIPPED_TIMEOUTS } });

  test('every step', async ({ kiosk, page }) => {
    await kiosk.center.book(kiosk.cardId('adult'), 'sign');
    await kiosk.shows('top');
    await shot(page, '01-top');
    await kiosk.touch(words.admin, kiosk.screen('top'));
    await kiosk.shows('admin-menu');
    await shot(page, '02-admin-menu');
    await kiosk.touch(words.myNumberCard, kiosk.screen('admin-menu'));
    await kiosk.shows('card-menu');
    await shot(page, '03-card-menu');
    await kiosk.touch(words.resetSign, kiosk.screen('card-menu'));
    await kiosk.shows('notice');
    await shot(page, '04-notice');
    await kiosk.touch(words.agree, kiosk.screen('notice'), true);
    await expect((await kiosk.shows('place-card')).getByRole('status')).toHaveText('カードが置かれるのを待っています');
    await shot(page, '05-place-card');

    const check = kiosk.gate!.hold('/v1/kiosk/check');
    await kiosk.place('adult');
    await check.reached;
    await kiosk.shows('progress');
    await shot(page, '06-progress-checking-reservation');
    check.release();

    await kiosk.shows('other-password');
    await typeKeys(kiosk, 'other-password', '12');
    await shot(page, '07-other-password');
    await kiosk.touch('すべて消す', kiosk.screen('other-password'), true);
    await kiosk.enterOtherPassword('0000');
    await expect(kiosk.screen('other-password').getByRole('alert')).toBeVisible();
    await shot(page, '08-other-password-wrong');
    await kiosk.enterOtherPassword(AUTH);

    await expect(kiosk.screen('new-password').locator('[data-step="first"]')).toBeVisible();
    await typeKeys(kiosk, 'new-password', 'KIOSK');
    await shot(page, '09-new-password');
    await typeKeys(kiosk, 'new-password', '2026');
    await kiosk.touch(words.submit, kiosk.screen('new-password'), true);
    await expect(kiosk.screen('new-password').locator('[data-step="confirm"]')).toBeVisible();
    await typeKeys(kiosk, 'new-password', 'KIOSK2026');
    await shot(page, '10-new-password-confirm');

    const authorize = kiosk.gate!.hold('/v1/kiosk/authorize');
    await kiosk.touch(words.submit, kiosk.screen('new-password'), true);
    await authorize.reached;
    await kiosk.shows('progress');
    await shot(page, '11-progress-do-not-remove-card');
    authorize.release();

    await kiosk.shows('done');
    await shot(page, '12-done');
    await kiosk.touch(words.next, kiosk.screen('done'), true);
    await kiosk.shows('take-card');
    await shot(page, '13-take-card');
    await kiosk.removeCard();
    await kiosk.shows('top');
  });
});

test.describe('guidance', () => {
  test.use({ setup: { clock: FROZEN_10AM, timeouts: SHIPPED_TIMEOUTS } });

  test('refusals with a card on the reader', async ({ kiosk, page }) => {
    const cases = [
      ['20-guidance-no-reservation', 'adult', 'sign', 'no-reservation'],
      ['21-guidance-other-password-locked', 'sign-locked', 'auth', 'other-password-locked'],
      ['22-guidance-certificate-revoked', 'sign-lapsed', 'sign', 'certificate-revoked'],
      ['23-guidance-no-signature-certificate', 'under15', 'sign', 'no-signature-certificate'],
      ['24-guidance-card-expired', 'card-expired', 'sign', 'card-expired'],
    ] as const;
    for (const [name, persona, kind, reason] of cases) {
      await kiosk.startReset(kind);
      await kiosk.place(persona);
      await kiosk.guidance(reason);
      await shot(page, name);
      await kiosk.acknowledgeAndTakeCard();
    }

    await kiosk.startReset('sign');
    await kiosk.place('adult', { realLooking: true });
    await kiosk.guidance('real-card');
    await shot(page, '25-guidance-real-card');
    await kiosk.acknowledgeAndTakeCard();

    await kiosk.touch(words.resetJuki, await kiosk.openCardMenu());
    await kiosk.guidance('counter-only-pin');
    await shot(page, '26-guidance-counter-only-pin');
    await kiosk.touch(words.ok, kiosk.screen('guidance'), true);

    // The trainer's card tray (simulator only), where the renderer has it.
    const tray = page.getByRole('button', { name: 'カード置き場' });
    if ((await tray.count()) > 0) {
      await tray.click();
      await expect(page.getByRole('complementary')).toBeVisible();
      await shot(page, '40-trainer-card-tray');
      const settings = page.getByRole('complementary').getByRole('button', { name: '設定', exact: true });
      if ((await settings.count()) > 0) {
        await settings.click();
        await shot(page, '41-trainer-settings');
      }
    }
  });
});

test.describe('at a FamilyMart', () => {
  test.use({ setup: { chain: 'familymart', clock: FROZEN_10AM, timeouts: SHIPPED_TIMEOUTS } });

  test('the 利用者証明用 reset is not offered', async ({ kiosk, page }) => {
    const menu = await kiosk.openCardMenu();
    await shot(page, '27-card-menu-not-offered');
    await kiosk.touch(words.resetAuth, menu);
    await kiosk.guidance('chain-does-not-offer');
    await shot(page, '28-guidance-chain-does-not-offer');
  });
});

test.describe('after 23:00', () => {
  test.use({ setup: { clock: { mode: 'fixed', at: jstToday(23, 10) }, timeouts: SHIPPED_TIMEOUTS } });

  test('closed until 6:30', async ({ kiosk, page }) => {
    await kiosk.touch(words.admin, await kiosk.shows('top'));
    await kiosk.touch(words.myNumberCard, await kiosk.shows('admin-menu'));
    await kiosk.guidance('outside-hours');
    await shot(page, '29-guidance-outside-hours');
  });
});

test.describe('inactivity', () => {
  test.use({ setup: { clock: FROZEN_10AM, timeouts: { inactivitySeconds: 10, warningSeconds: 8, takeCardSeconds: 30 } } });

  test('the countdown dialog', async ({ kiosk, page }) => {
    const menu = await kiosk.openCardMenu();
    await kiosk.touch(words.resetSign, menu);
    await kiosk.shows('notice');
    await expect(page.getByRole('alertdialog')).toBeVisible();
    await shot(page, '30-timeout-dialog');
  });
});

test.describe('in English', () => {
  test.use({ setup: { language: 'en', clock: FROZEN_10AM, timeouts: SHIPPED_TIMEOUTS } });

  test('a few screens', async ({ kiosk, page }) => {
    await kiosk.center.book(kiosk.cardId('adult'), 'auth');
    await kiosk.shows('top');
    await shot(page, '50-en-top');
    await page.getByRole('button', { name: 'Government services' }).click();
    await page.getByRole('button', { name: 'My Number Card' }).click();
    await kiosk.shows('card-menu');
    await shot(page, '51-en-card-menu');
    await page.getByRole('button', { name: 'Reset the User authentication PIN' }).click();
    await page.getByRole('button', { name: 'I agree' }).click();
    await kiosk.place('adult');
    await kiosk.shows('other-password');
    await typeKeys(kiosk, 'other-password', 'ABC');
    await shot(page, '52-en-other-password');
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await kiosk.shows('take-card');
    await shot(page, '53-en-take-card');
    await kiosk.removeCard();
    await kiosk.shows('top');
  });
});
