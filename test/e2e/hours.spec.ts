/**
 * Service hours on the kiosk's simulated clock (06:30–23:00 Japan time, maintenance windows): the
 * trainer sets the clock, as in a training room, and the citizen sees the 23:00 cut-off happen
 * in the middle of a session, and the way back at 6:30.
 */
import { clockAt, jstToday } from './host';
import { expect, test, words } from './fixtures';

const DAY_MS = 24 * 3600_000;

/** How the guidance screen writes "come back from …" (a Japanese store's wall clock). */
function comeBackFrom(at: number): string {
  const when = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', month: 'short', day: 'numeric', weekday: 'short', hour: 'numeric', minute: '2-digit', hour12: false }).format(at);
  return `${when}以降に、もう一度お越しください。`;
}

test.describe('before 6:30', () => {
  test.use({ setup: { clock: clockAt(jstToday(5, 0)) } });

  test('the マイナンバーカード menu says the service opens at 6:30 today', async ({ kiosk }) => {
    await kiosk.touch(words.admin, await kiosk.shows('top'));
    await kiosk.touch(words.myNumberCard, await kiosk.shows('admin-menu'));
    const panel = await kiosk.guidance('outside-hours');
    await expect(panel.getByRole('heading', { level: 1 })).toHaveText('ただいまの時間は、この手続きをご利用いただけません');
    await expect(panel.getByText('この手続きは、毎日6:30〜23:00にご利用いただけます。')).toBeVisible();
    await expect(panel.getByTestId('next-step')).toHaveText(comeBackFrom(jstToday(6, 30)));
  });
});

test.describe('the 23:00 cut-off', () => {
  test.use({ setup: { clock: clockAt(jstToday(22, 58)) } });

  test('open at 22:58; when the clock passes 23:00 during the notice, 同意する is refused until 6:30 tomorrow', async ({ kiosk, page }) => {
    await expect(page.locator('header time')).toContainText('22:58');
    const menu = await kiosk.openCardMenu();
    await kiosk.touch(words.resetSign, menu);
    await kiosk.shows('notice');

    // The trainer moves the store's clock past 23:00 while the citizen reads the notice.
    const r = await kiosk.trainer().updateSettings({ clock: clockAt(jstToday(23, 0, 30)) });
    expect(r.ok).toBe(true);
    await expect(page.locator('header time')).toContainText('23:00');

    await kiosk.touch(words.agree, kiosk.screen('notice'), true);
    const panel = await kiosk.guidance('outside-hours');
    await expect(panel.getByTestId('next-step')).toHaveText(comeBackFrom(jstToday(6, 30) + DAY_MS));
    await kiosk.touch(words.ok, kiosk.screen('guidance'), true);
    await kiosk.shows('top');

    // And at 6:30 the next morning it is open again.
    await kiosk.trainer().updateSettings({ clock: clockAt(jstToday(6, 30) + DAY_MS) });
    await kiosk.startReset('sign');
  });
});

test.describe('maintenance', () => {
  test('a maintenance window set by the trainer closes the service until its end', async ({ kiosk }) => {
    const now = jstToday(10);
    const until = now + 2 * 3600_000;
    const r = await kiosk.trainer().updateSettings({ clock: clockAt(now), maintenance: [{ from: now - 3600_000, until, note: 'e2e' }] });
    expect(r.ok).toBe(true);
    await kiosk.touch(words.admin, await kiosk.shows('top'));
    await kiosk.touch(words.myNumberCard, await kiosk.shows('admin-menu'));
    const panel = await kiosk.guidance('maintenance');
    await expect(panel.getByRole('heading', { level: 1 })).toHaveText('ただいまメンテナンス中のため、ご利用いただけません');
    await expect(panel.getByTestId('next-step')).toHaveText(comeBackFrom(until));
  });
});
