/**
 * 利用者証明用電子証明書の暗証番号の初期化・再設定, end to end, at a Seven-Eleven kiosk (a chain that
 * offers it): the other password is the 6–16 character 署名用 password, typed on the A–Z/0–9
 * keyboard; the new PIN is 4 digits. Afterwards the CARD accepts the new PIN and refuses the old
 * one, and the center records the reservation as used.
 */
import { PERSONAS } from '../../native/card/personas';
import { verifyOnCard } from './cards';
import { expect, newAuthPin, test, words } from './fixtures';

const SIGN = PERSONAS.adult.pins.sign as string;
const OLD_AUTH = PERSONAS.adult.pins.auth as string;

test.use({ setup: { chain: 'seven-eleven' } });

test('利用者証明用: booked in the app, reset at the kiosk; the card takes the new PIN and refuses the old one', async ({ kiosk }) => {
  const bookingId = await kiosk.center.book(kiosk.cardId('adult'), 'auth');
  const fresh = newAuthPin(OLD_AUTH);

  await kiosk.startReset('auth');
  await kiosk.place('adult');

  const other = await kiosk.shows('other-password');
  await expect(other.getByRole('heading', { name: '署名用電子証明書のパスワードを入力してください' })).toBeVisible();
  await expect(other.getByTestId('tries-left')).toHaveText('残り入力回数 5回');
  await kiosk.enterOtherPassword(SIGN);

  const first = await kiosk.shows('new-password');
  await expect(first.getByRole('heading', { name: '新しい利用者証明用電子証明書の暗証番号を入力してください' })).toBeVisible();
  await kiosk.enterNewPassword(fresh, 'first');
  await expect(kiosk.screen('new-password').getByRole('heading', { name: '確認のため、もう一度入力してください' })).toBeVisible();
  await kiosk.enterNewPassword(fresh, 'confirm');

  const done = await kiosk.shows('done');
  await expect(done.getByText('利用者証明用電子証明書の暗証番号を新しい暗証番号に変更しました。')).toBeVisible();
  await kiosk.touch(words.next, done, true);
  await kiosk.shows('take-card');
  await kiosk.removeCard();
  await kiosk.shows('top');

  expect(await verifyOnCard(kiosk.cardFile('adult'), 'auth', fresh)).toEqual({ result: 'verified' });
  expect(await verifyOnCard(kiosk.cardFile('adult'), 'auth', OLD_AUTH)).toMatchObject({ result: 'wrong' });
  expect(await verifyOnCard(kiosk.cardFile('adult'), 'sign', SIGN)).toEqual({ result: 'verified' });
  expect(await kiosk.center.bookingState(kiosk.cardId('adult'), bookingId)).toBe('used');
});

test('a mistyped confirmation sends the citizen back to the first entry, and nothing is written until both match', async ({ kiosk }) => {
  await kiosk.center.book(kiosk.cardId('adult'), 'auth');
  await kiosk.startReset('auth');
  await kiosk.place('adult');
  await kiosk.enterOtherPassword(SIGN);

  await kiosk.enterNewPassword('2468', 'first');
  await kiosk.enterNewPassword('2469', 'confirm');
  const again = kiosk.screen('new-password');
  await expect(again.getByRole('alert')).toHaveText('1回目と2回目の入力が一致しませんでした。もう一度、最初から入力してください。');
  await expect(again.locator('[data-step="first"]')).toBeVisible();
  // Nothing reached the card yet: the old PIN still verifies.
  expect(await verifyOnCard(kiosk.cardFile('adult'), 'auth', OLD_AUTH)).toEqual({ result: 'verified' });

  await kiosk.enterNewPassword('2469', 'first');
  await kiosk.enterNewPassword('2469', 'confirm');
  await kiosk.shows('done');
  await kiosk.touch(words.next, kiosk.screen('done'), true);
  await kiosk.removeCard();
  await kiosk.shows('top');
  expect(await verifyOnCard(kiosk.cardFile('adult'), 'auth', '2469')).toEqual({ result: 'verified' });
});
