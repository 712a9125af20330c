/**
 * A wrong other password costs a try ON THE CARD, the screen says how many are left, a right one
 * restores the count, and at the limit the kiosk stops with the counter guidance — the card's
 * password is then locked, the password being reset untouched, and the reservation still unused.
 */
import { PERSONAS } from '../../native/card/personas';
import { triesLeftOnCard, verifyOnCard } from './cards';
import { expect, test, words } from './fixtures';

const AUTH = PERSONAS.adult.pins.auth as string;
const SIGN = PERSONAS.adult.pins.sign as string;

test('three wrong 利用者証明用 PINs: tries left counts down on screen and card, then the PIN is locked and the kiosk sends the citizen to the counter', async ({ kiosk }) => {
  const bookingId = await kiosk.center.book(kiosk.cardId('adult'), 'sign');
  await kiosk.startReset('sign');
  await kiosk.place('adult');
  const other = await kiosk.shows('other-password');
  await expect(other.getByTestId('tries-left')).toHaveText('残り入力回数 3回');

  for (const left of [2, 1]) {
    await kiosk.enterOtherPassword('0000');
    await expect(other.getByRole('alert')).toHaveText('暗証番号が正しくありません。');
    await expect(other.getByTestId('tries-left')).toHaveText(`残り入力回数 ${left}回`);
    expect(await triesLeftOnCard(kiosk.cardFile('adult'), 'auth')).toBe(left);
  }

  await kiosk.enterOtherPassword('0000');
  const panel = await kiosk.guidance('other-password-locked');
  await expect(panel.getByRole('heading', { name: 'ご本人の確認に使う暗証番号がロックされています' })).toBeVisible();
  await expect(panel.getByText('利用者証明用電子証明書の暗証番号がロックされています。')).toBeVisible();
  await expect(panel.getByTestId('card-change')).toHaveText('カードの内容は変更されていません。');
  await expect(panel.getByTestId('next-step')).toContainText('市区町村の窓口');
  await kiosk.acknowledgeAndTakeCard();

  // The card: the 利用者証明用 PIN is locked (even the right value is refused), the 署名用 password is as it was.
  expect(await triesLeftOnCard(kiosk.cardFile('adult'), 'auth')).toBe(0);
  expect(await verifyOnCard(kiosk.cardFile('adult'), 'auth', AUTH)).toEqual({ result: 'locked' });
  expect(await verifyOnCard(kiosk.cardFile('adult'), 'sign', SIGN)).toEqual({ result: 'verified' });
  expect(await kiosk.center.bookingState(kiosk.cardId('adult'), bookingId)).toBe('booked');
});

test('a wrong 署名用 password costs one of five tries; the right one then restores all five', async ({ kiosk }) => {
  await kiosk.center.book(kiosk.cardId('adult'), 'auth');
  await kiosk.startReset('auth');
  await kiosk.place('adult');
  const other = await kiosk.shows('other-password');
  await expect(other.getByTestId('tries-left')).toHaveText('残り入力回数 5回');

  await kiosk.enterOtherPassword('WRONG1');
  await expect(other.getByRole('alert')).toHaveText('パスワードが正しくありません。');
  await expect(other.getByTestId('tries-left')).toHaveText('残り入力回数 4回');
  expect(await triesLeftOnCard(kiosk.cardFile('adult'), 'sign')).toBe(4);

  await kiosk.enterOtherPassword(SIGN);
  await kiosk.shows('new-password');
  expect(await triesLeftOnCard(kiosk.cardFile('adult'), 'sign')).toBe(5);

  // やめる before anything is written: the card keeps its PIN.
  await kiosk.touch(words.cancel, kiosk.screen('new-password'), true);
  const take = await kiosk.shows('take-card');
  await expect(take.getByText('手続きを中止しました。カードの内容は変更されていません。')).toBeVisible();
  await kiosk.removeCard();
  await kiosk.shows('top');
  expect(await verifyOnCard(kiosk.cardFile('adult'), 'auth', AUTH)).toEqual({ result: 'verified' });
});
