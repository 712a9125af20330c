/**
 * The browser suite's citizen scenarios (test/e2e: reset-sign, reset-auth, guidance, wrong-password), in the
 * Electron app's kiosk window: same touches, same screens, same checks on the card and the center.
 */
import { PERSONAS } from '../../native/card/personas';
import { triesLeftOnCard, verifyOnCard } from '../e2e/cards';
import { expect, newAuthPin, newSignPassword, test, words } from './fixtures';

const ADULT = PERSONAS.adult.pins;

test('署名用: booked in the app, reset at the kiosk; the card takes the new password and refuses the old one', async ({ kiosk }) => {
  const bookingId = await kiosk.center.book(kiosk.cardId('adult'), 'sign');
  const fresh = newSignPassword();
  await kiosk.startReset('sign');
  await kiosk.place('adult');
  const other = await kiosk.shows('other-password');
  await expect(other.getByTestId('tries-left')).toHaveText('残り入力回数 3回');
  await kiosk.enterOtherPassword(ADULT.auth as string);
  await kiosk.enterNewPassword(fresh, 'first');
  await kiosk.enterNewPassword(fresh, 'confirm');
  const done = await kiosk.shows('done');
  await expect(done.getByRole('heading', { name: '手続きが完了しました' })).toBeVisible();
  await kiosk.touch(words.next, done, true);
  await kiosk.shows('take-card');
  await kiosk.removeCard();
  await kiosk.shows('top');

  expect(await verifyOnCard(kiosk.cardFile('adult'), 'sign', fresh)).toEqual({ result: 'verified' });
  expect(await verifyOnCard(kiosk.cardFile('adult'), 'sign', ADULT.sign as string)).toMatchObject({ result: 'wrong' });
  expect(await kiosk.center.bookingState(kiosk.cardId('adult'), bookingId)).toBe('used');
});

test('利用者証明用: booked in the app, reset at the kiosk; the card takes the new PIN and refuses the old one', async ({ kiosk }) => {
  const bookingId = await kiosk.center.book(kiosk.cardId('adult'), 'auth');
  const fresh = newAuthPin(ADULT.auth as string);
  await kiosk.startReset('auth');
  await kiosk.place('adult');
  const other = await kiosk.shows('other-password');
  await expect(other.getByTestId('tries-left')).toHaveText('残り入力回数 5回');
  await kiosk.enterOtherPassword(ADULT.sign as string);
  await kiosk.enterNewPassword(fresh, 'first');
  await kiosk.enterNewPassword(fresh, 'confirm');
  await kiosk.touch(words.next, await kiosk.shows('done'), true);
  await kiosk.shows('take-card');
  await kiosk.removeCard();
  await kiosk.shows('top');

  expect(await verifyOnCard(kiosk.cardFile('adult'), 'auth', fresh)).toEqual({ result: 'verified' });
  expect(await verifyOnCard(kiosk.cardFile('adult'), 'auth', ADULT.auth as string)).toMatchObject({ result: 'wrong' });
  expect(await kiosk.center.bookingState(kiosk.cardId('adult'), bookingId)).toBe('used');
});

test('no reservation: book in the app first, and nothing was tried on the card', async ({ kiosk }) => {
  await kiosk.startReset('sign');
  await kiosk.place('adult');
  const panel = await kiosk.guidance('no-reservation');
  await expect(panel.getByRole('heading', { level: 1 })).toHaveText('このカードの予約が見つかりません');
  await expect(panel.getByTestId('card-change')).toHaveText('カードの内容は変更されていません。');
  await kiosk.acknowledgeAndTakeCard();
  expect(await triesLeftOnCard(kiosk.cardFile('adult'), 'auth')).toBe(3);
  expect(await triesLeftOnCard(kiosk.cardFile('adult'), 'sign')).toBe(5);
});

test.describe('at a chain without 利用者証明用 resets', () => {
  test.use({ setup: { chain: 'familymart' } });

  test('the 利用者証明用 reset is explained, with the stores that offer it', async ({ kiosk }) => {
    const menu = await kiosk.openCardMenu();
    await menu.getByRole('button', { name: words.resetAuth }).click();
    const panel = await kiosk.guidance('chain-does-not-offer');
    await expect(panel.getByRole('listitem')).toHaveText(['セブン-イレブン', 'イオン(本州・四国)']);
  });
});

test('three wrong 利用者証明用 PINs: tries count down on screen and card, then the counter; the reservation stays unused', async ({ kiosk }) => {
  const bookingId = await kiosk.center.book(kiosk.cardId('adult'), 'sign');
  await kiosk.startReset('sign');
  await kiosk.place('adult');
  const other = await kiosk.shows('other-password');
  for (const left of [2, 1]) {
    await kiosk.enterOtherPassword('0000');
    await expect(other.getByTestId('tries-left')).toHaveText(`残り入力回数 ${left}回`);
    expect(await triesLeftOnCard(kiosk.cardFile('adult'), 'auth')).toBe(left);
  }
  await kiosk.enterOtherPassword('0000');
  await kiosk.guidance('other-password-locked');
  await kiosk.acknowledgeAndTakeCard();
  expect(await verifyOnCard(kiosk.cardFile('adult'), 'auth', ADULT.auth as string)).toEqual({ result: 'locked' });
  expect(await verifyOnCard(kiosk.cardFile('adult'), 'sign', ADULT.sign as string)).toEqual({ result: 'verified' });
  expect(await kiosk.center.bookingState(kiosk.cardId('adult'), bookingId)).toBe('booked');
});

test('やめる before anything is written: the card keeps its password', async ({ kiosk }) => {
  await kiosk.center.book(kiosk.cardId('adult'), 'auth');
  await kiosk.startReset('auth');
  await kiosk.place('adult');
  await kiosk.enterOtherPassword(ADULT.sign as string);
  await kiosk.touch(words.cancel, await kiosk.shows('new-password'), true);
  const take = await kiosk.shows('take-card');
  await expect(take.getByText('手続きを中止しました。カードの内容は変更されていません。')).toBeVisible();
  await kiosk.removeCard();
  await kiosk.shows('top');
  expect(await verifyOnCard(kiosk.cardFile('adult'), 'auth', ADULT.auth as string)).toEqual({ result: 'verified' });
});
