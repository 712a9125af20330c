/**
 * When the session is interrupted: the card leaves the reader mid-flow, the reservation center goes
 * down (before the reservation check, and after the other password was verified but before the
 * card is written), and the citizen walks away (the inactivity countdown, 「続ける」, and the way
 * back to the top menu). Each time the screen says truthfully what happened to the card, and the
 * card and the center agree.
 */
import { PERSONAS } from '../../native/card/personas';
import { verifyOnCard } from './cards';
import { expect, newSignPassword, test, words } from './fixtures';

const AUTH = PERSONAS.adult.pins.auth as string;
const SIGN = PERSONAS.adult.pins.sign as string;
const NOTHING_CHANGED = 'カードの内容は変更されていません。';
const NOT_WRITTEN = 'カードの内容は変更されていません。予約は使われていないため、もう一度お試しいただけます。';

test.describe('card removed mid-flow', () => {
  test('while the other password is asked: nothing changed, start again; the reservation is still good', async ({ kiosk }) => {
    const bookingId = await kiosk.center.book(kiosk.cardId('adult'), 'sign');
    await kiosk.startReset('sign');
    await kiosk.place('adult');
    await kiosk.shows('other-password');
    await kiosk.removeCard();

    const panel = await kiosk.guidance('card-removed');
    await expect(panel.getByRole('heading', { level: 1 })).toHaveText('カードが取り外されました');
    await expect(panel.getByTestId('card-change')).toHaveText(NOTHING_CHANGED);
    await expect(panel.getByTestId('next-step')).toHaveText('カードを置いて、最初からやり直してください。');
    // The card is already off the reader: 確認 goes straight back to the top.
    await kiosk.touch(words.ok, kiosk.screen('guidance'), true);
    await kiosk.shows('top');

    expect(await verifyOnCard(kiosk.cardFile('adult'), 'sign', SIGN)).toEqual({ result: 'verified' });
    expect(await kiosk.center.bookingState(kiosk.cardId('adult'), bookingId)).toBe('booked');
  });

  test('after the other password was verified, before the new one is confirmed: nothing changed', async ({ kiosk }) => {
    await kiosk.center.book(kiosk.cardId('adult'), 'sign');
    await kiosk.startReset('sign');
    await kiosk.place('adult');
    await kiosk.enterOtherPassword(AUTH);
    await kiosk.enterNewPassword('SHOULDNOT1', 'first');
    await kiosk.shows('new-password');
    await kiosk.removeCard();

    const panel = await kiosk.guidance('card-removed');
    await expect(panel.getByTestId('card-change')).toHaveText(NOTHING_CHANGED);
    expect(await verifyOnCard(kiosk.cardFile('adult'), 'sign', SIGN)).toEqual({ result: 'verified' });
    expect(await verifyOnCard(kiosk.cardFile('adult'), 'sign', 'SHOULDNOT1')).toMatchObject({ result: 'wrong' });
  });
});

test.describe('card removed while it is being written', () => {
  const UNKNOWN =
    '書き込みの途中でカードが取り外されたため、パスワードが変更されたかどうかをまだ確認できていません。もう一度カードを置いて手続きを始めると、カードの記録から確認してご案内します。変更されていなければ、予約はそのまま使えます。';

  for (const when of ['after-write', 'before-write'] as const) {
    test(`${when === 'after-write' ? 'the card wrote' : 'the card had not written'}: the kiosk cannot know and says so; placed again, the card's receipt tells, and the reservation is spent once`, async ({ kiosk }) => {
      const fresh = newSignPassword();
      const bookingId = await kiosk.center.book(kiosk.cardId('adult'), 'sign');
      await kiosk.startReset('sign');
      await kiosk.place('adult', { removedDuringWrite: when });
      await kiosk.enterOtherPassword(AUTH);
      await kiosk.enterNewPassword(fresh, 'first');
      await kiosk.enterNewPassword(fresh, 'confirm');

      const panel = await kiosk.guidance('card-removed');
      await expect(panel.getByTestId('card-change')).toHaveText(UNKNOWN);
      await kiosk.touch(words.ok, kiosk.screen('guidance'), true);
      await kiosk.shows('top');

      // What the card really holds: the screen's "cannot tell" covers both.
      const written = when === 'after-write';
      expect(await verifyOnCard(kiosk.cardFile('adult'), 'sign', fresh)).toMatchObject({ result: written ? 'verified' : 'wrong' });
      expect(await verifyOnCard(kiosk.cardFile('adult'), 'sign', SIGN)).toMatchObject({ result: written ? 'wrong' : 'verified' });
      // Nobody can tell without the card: the reservation is neither spent nor given back yet.
      expect(await kiosk.center.bookingState(kiosk.cardId('adult'), bookingId)).toBe('authorized');

      // The citizen does as the screen said and places the card again.
      await kiosk.startReset('sign');
      await kiosk.place('adult');
      if (written) {
        const done = await kiosk.guidance('reset-already-done');
        await expect(done.getByRole('heading', { level: 1 })).toHaveText('パスワードの変更は、前回の操作で完了しています');
        await expect(done.getByTestId('card-change')).toHaveText('パスワードの変更は完了しています。新しいパスワードをご利用ください。');
      } else {
        const again = newSignPassword();
        await kiosk.enterOtherPassword(AUTH);
        await kiosk.enterNewPassword(again, 'first');
        await kiosk.enterNewPassword(again, 'confirm');
        await kiosk.shows('done');
        expect(await verifyOnCard(kiosk.cardFile('adult'), 'sign', again)).toEqual({ result: 'verified' });
      }
      await expect.poll(() => kiosk.center.bookingState(kiosk.cardId('adult'), bookingId)).toBe('used');
    });
  }
});

test.describe('reservation center down', () => {
  test.use({ setup: { externalCenter: true } });

  test('before the reservation check: the service is unavailable for now, nothing changed', async ({ kiosk }) => {
    await kiosk.center.book(kiosk.cardId('adult'), 'sign');
    await kiosk.center.close();
    await kiosk.startReset('sign');
    await kiosk.place('adult');

    const panel = await kiosk.guidance('center-unavailable');
    await expect(panel.getByRole('heading', { level: 1 })).toHaveText('ただいま、この手続きを一時的にご利用いただけません');
    await expect(panel.getByTestId('card-change')).toHaveText(NOTHING_CHANGED);
    await expect(panel.getByTestId('next-step')).toHaveText('しばらくしてからもう一度お試しいただくか、店員にお声がけください。');
    await kiosk.acknowledgeAndTakeCard();
    expect(await verifyOnCard(kiosk.cardFile('adult'), 'sign', SIGN)).toEqual({ result: 'verified' });
  });

  test('after the other password was verified: no authorization, so the card is not written', async ({ kiosk }) => {
    const fresh = newSignPassword();
    await kiosk.center.book(kiosk.cardId('adult'), 'sign');
    await kiosk.startReset('sign');
    await kiosk.place('adult');
    await kiosk.enterOtherPassword(AUTH);
    await kiosk.enterNewPassword(fresh, 'first');
    await expect(kiosk.screen('new-password').locator('[data-step="confirm"]')).toBeVisible();
    await kiosk.center.close();
    await kiosk.enterNewPassword(fresh, 'confirm');

    const panel = await kiosk.guidance('center-unavailable');
    await expect(panel.getByTestId('card-change')).toHaveText(NOT_WRITTEN);
    await kiosk.acknowledgeAndTakeCard();
    expect(await verifyOnCard(kiosk.cardFile('adult'), 'sign', SIGN)).toEqual({ result: 'verified' });
    expect(await verifyOnCard(kiosk.cardFile('adult'), 'sign', fresh)).toMatchObject({ result: 'wrong' });
  });
});

test.describe('inactivity', () => {
  // The shortest countdown the settings allow: 10 s of inactivity, the last 3 s with the dialog.
  test.use({ setup: { timeouts: { inactivitySeconds: 10, warningSeconds: 3, takeCardSeconds: 10 } } });

  test('the countdown dialog offers 「続ける」; left alone, the session ends and the kiosk is back at the top', async ({ kiosk, page }) => {
    await kiosk.openCardMenu();
    await kiosk.touch(words.resetSign, kiosk.screen('card-menu'));
    await kiosk.shows('notice');

    const dialog = page.getByRole('alertdialog', { name: '操作を続けますか?' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: words.continue }).click();
    await expect(dialog).toBeHidden();
    await expect(kiosk.screen('notice')).toBeVisible();

    // Nobody touches anything: the dialog comes back and the session ends (no card: straight to the top).
    await expect(dialog).toBeVisible();
    await kiosk.shows('top');
    await expect(dialog).toBeHidden();
  });

  test('with the card on the reader: the session ends asking for the card back, then the top', async ({ kiosk }) => {
    await kiosk.center.book(kiosk.cardId('adult'), 'sign');
    await kiosk.startReset('sign');
    await kiosk.place('adult');
    await kiosk.shows('other-password');

    const take = await kiosk.shows('take-card', 30_000);
    await expect(take.getByText('一定時間操作がなかったため、手続きを終了しました。')).toBeVisible();
    await kiosk.removeCard();
    await kiosk.shows('top');
    expect(await verifyOnCard(kiosk.cardFile('adult'), 'sign', SIGN)).toEqual({ result: 'verified' });
  });
});
