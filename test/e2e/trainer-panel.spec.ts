/**
 * The trainer's settings panel end to end, in the trainer drawer of the browser host: the clock
 * set to 23:00 from the panel closes the service at the kiosk, and "24時間進める" makes a
 * reservation made today expire at the kiosk (it moves the reservation center's clock too).
 */
import { expect, test, words } from './fixtures';
import { jstToday } from './host';

const JST_MS = 9 * 3600_000;

/** A Japan time in ISO form (the date field takes it as well as its own YYYY/MM/DD HH:mm). */
function jstInput(at: number): string {
  return new Date(at + JST_MS).toISOString().slice(0, 16);
}

test('the clock set to 23:00 from the panel: the kiosk refuses and says when it opens', async ({ kiosk, page }) => {
  await page.getByRole('button', { name: 'カード置き場' }).click();
  const drawer = page.locator('#card-tray');
  await drawer.getByRole('button', { name: '設定' }).click();
  const clock = drawer.locator('[data-setting="clock"]');
  await clock.getByTestId('custom-time').fill(jstInput(jstToday(23, 0)));
  await clock.getByRole('button', { name: 'この日時で止める' }).click();
  await expect(drawer.getByTestId('settings-notice')).toHaveText('変更しました(すぐに有効)。');
  await expect(clock.getByTestId('kiosk-clock')).toContainText('23:00 — 止めた時刻');
  await drawer.getByRole('button', { name: '閉じる' }).click();
  await expect(page.locator('header time')).toContainText('23:00');

  await kiosk.touch(words.admin, await kiosk.shows('top'));
  await kiosk.touch(words.myNumberCard, await kiosk.shows('admin-menu'));
  const panel = await kiosk.guidance('outside-hours');
  await expect(panel.getByText('この手続きは、毎日6:30〜23:00にご利用いただけます。')).toBeVisible();
});

test('24 hours later from the panel: a reservation made today has expired at the kiosk', async ({ kiosk, page }) => {
  await kiosk.center.book(kiosk.cardId('adult'), 'sign');
  await page.getByRole('button', { name: 'カード置き場' }).click();
  const drawer = page.locator('#card-tray');
  await drawer.getByRole('button', { name: '設定' }).click();
  const clock = drawer.locator('[data-setting="clock"]');
  await expect(clock.getByTestId('center-clock')).toContainText('(±0:00)');
  await clock.locator('[data-preset="plus-day"]').click();
  await expect(clock.getByTestId('center-clock')).toContainText('(+24:00)');
  await drawer.getByRole('button', { name: '閉じる' }).click();

  await kiosk.startReset('sign');
  await kiosk.place('adult');
  await kiosk.guidance('reservation-expired');
  await kiosk.acknowledgeAndTakeCard();
});
