/**
 * 署名用パスワードの初期化・再設定, end to end: a citizen with a reservation made in the app walks
 * every screen by touch, with the `adult` card on the virtual reader (pcscd + vpcd), against the
 * host's embedded reservation center. Afterwards the CARD accepts the new password and refuses the
 * old one, and the center records the reservation as used.
 */
import { PERSONAS } from '../../native/card/personas';
import { verifyOnCard } from './cards';
import { expect, newSignPassword, test, words } from './fixtures';

const OLD_SIGN = PERSONAS.adult.pins.sign as string;
const AUTH = PERSONAS.adult.pins.auth as string;

test('署名用: booked in the app, reset at the kiosk; the card takes the new password and refuses the old one', async ({ kiosk }) => {
  const bookingId = await kiosk.center.book(kiosk.cardId('adult'), 'sign');
  const fresh = newSignPassword();

  const place = await kiosk.startReset('sign');
  await expect(place.getByRole('status')).toHaveText('カードが置かれるのを待っています');
  await kiosk.place('adult');

  // 利用者証明用 PIN on the numeric keypad, with its 3 tries shown.
  const other = await kiosk.shows('other-password');
  await expect(other.getByRole('heading', { name: '利用者証明用電子証明書の暗証番号を入力してください' })).toBeVisible();
  await expect(other.getByTestId('tries-left')).toHaveText('残り入力回数 3回');
  await kiosk.enterOtherPassword(AUTH);

  // The new password twice, on the A–Z/0–9 keyboard.
  const first = await kiosk.shows('new-password');
  await expect(first.getByRole('heading', { name: '新しい署名用電子証明書のパスワードを入力してください' })).toBeVisible();
  await kiosk.enterNewPassword(fresh, 'first');
  await expect(kiosk.screen('new-password').getByRole('heading', { name: '確認のため、もう一度入力してください' })).toBeVisible();
  await kiosk.enterNewPassword(fresh, 'confirm');

  const done = await kiosk.shows('done');
  await expect(done.getByRole('heading', { name: '手続きが完了しました' })).toBeVisible();
  await kiosk.touch(words.next, done, true);
  const take = await kiosk.shows('take-card');
  await expect(take.getByRole('heading', { name: 'カードをお取りください' })).toBeVisible();
  await kiosk.removeCard();
  await kiosk.shows('top');

  // On the card itself: the new password verifies, the old one no longer does.
  expect(await verifyOnCard(kiosk.cardFile('adult'), 'sign', fresh)).toEqual({ result: 'verified' });
  expect(await verifyOnCard(kiosk.cardFile('adult'), 'sign', OLD_SIGN)).toMatchObject({ result: 'wrong' });
  // The other password was only verified, not changed.
  expect(await verifyOnCard(kiosk.cardFile('adult'), 'auth', AUTH)).toEqual({ result: 'verified' });
  // The center: the reservation is used, once and for all.
  expect(await kiosk.center.bookingState(kiosk.cardId('adult'), bookingId)).toBe('used');
});
