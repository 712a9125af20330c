/**
 * The smartphone-app simulator page end to end, as a training room uses `npm start`: from the
 * trainer drawer to #/app, the `adult` card goes onto the phone's reader (the vpcd slot the kiosk
 * does not read, through the host's own slot daemon and pcscd), the citizen books 署名用 on the
 * phone — card front, the 利用者証明用 PIN verified on the card (a wrong one really costs a try),
 * the face check the trainer decides — and then resets the password at the kiosk with that very
 * booking. Checked on the card and at the center, not only on screen.
 */
import { PERSONAS } from '../../native/card/personas';
import { triesLeftOnCard, verifyOnCard } from './cards';
import { expect, newSignPassword, test, words } from './fixtures';
import { E2E_SLOT, waitForEmptySlot } from './host';

const AUTH = PERSONAS.adult.pins.auth as string;
const OLD_SIGN = PERSONAS.adult.pins.sign as string;
/** The phone's reader is the virtual slot the kiosk does not read. */
const PHONE_SLOT = E2E_SLOT === 1 ? 0 : 1;

test('a 署名用 reservation booked on the app page, then used at the kiosk', async ({ kiosk, page }) => {
  await waitForEmptySlot(PHONE_SLOT);
  const file = kiosk.cardFile('adult');

  // The trainer opens the app page from the drawer.
  await page.getByRole('button', { name: 'カード置き場' }).click();
  await page.getByRole('link', { name: 'スマホアプリ' }).click();
  const side = page.getByRole('complementary', { name: 'シミュレータ:スマホアプリ' });
  const phone = page.locator('[data-phone]');
  await expect(phone.getByRole('heading', { name: 'パスワード初期化の予約' })).toBeVisible();

  // The citizen opens the app holding the adult card.
  await side.getByRole('button', { name: '番号 花子さんのカードでアプリを開く' }).click();
  await expect(phone.getByRole('heading', { name: '同意事項' })).toBeVisible();
  await phone.getByRole('button', { name: '同意する' }).click();
  await phone.getByRole('button', { name: /^署名用電子証明書のパスワード/ }).click();

  // Card front: "photographed", then checked against the card's 券面AP.
  await expect(phone.getByRole('heading', { name: 'カードの表面を読み取ります' })).toBeVisible();
  await phone.getByRole('button', { name: 'カードを撮影する' }).click();
  await phone.getByRole('button', { name: '次へ' }).click();

  // The other password: which one, said every time; a wrong one costs a try on the card itself.
  await expect(phone.getByRole('heading', { name: '利用者証明用電子証明書の暗証番号を入力してください' })).toBeVisible();
  await expect(phone.getByTestId('asks')).toContainText('いま入力するのは「利用者証明用電子証明書の暗証番号」(数字4桁)です。');
  await expect(phone.getByTestId('tries-left')).toHaveText('残り入力回数 3回');
  const wrong = AUTH === '0000' ? '1111' : '0000';
  for (const d of wrong) await phone.getByRole('button', { name: d, exact: true }).click();
  await phone.getByRole('button', { name: words.submit, exact: true }).click();
  await expect(phone.getByRole('alert')).toHaveText('暗証番号が正しくありません。');
  await expect(phone.getByTestId('tries-left')).toHaveText('残り入力回数 2回');
  expect(await triesLeftOnCard(file, 'auth')).toBe(2);
  for (const d of AUTH) await phone.getByRole('button', { name: d, exact: true }).click();
  await phone.getByRole('button', { name: words.submit, exact: true }).click();

  // Face check, decided by the trainer: one failure, then a match.
  await expect(phone.getByRole('heading', { name: '顔認証' })).toBeVisible();
  await side.getByRole('button', { name: '不一致' }).click();
  await expect(phone.getByRole('alert')).toContainText('あと4回続けて失敗すると');
  await side.getByRole('button', { name: '一致', exact: true }).click();
  await expect(phone.getByRole('heading', { name: '✔ 予約が完了しました' })).toBeVisible();
  await expect(phone.getByText('署名用電子証明書のパスワードの初期化・再設定')).toBeVisible();

  // The booking is at the center, and the card has left the phone (its correct PIN restored the tries).
  const bookingId = /予約番号: (\S+)/.exec((await phone.getByText(/^予約番号: /).textContent()) ?? '')?.[1] ?? '';
  expect(await kiosk.center.bookingState(kiosk.cardId('adult'), bookingId)).toBe('booked');
  expect(await triesLeftOnCard(file, 'auth')).toBe(3);

  // Back at the kiosk, the citizen resets the password with that booking.
  await side.getByRole('link', { name: 'キオスクの画面へ' }).click();
  const fresh = newSignPassword();
  await kiosk.startReset('sign');
  await kiosk.place('adult');
  await expect((await kiosk.shows('other-password')).getByTestId('tries-left')).toHaveText('残り入力回数 3回');
  await kiosk.enterOtherPassword(AUTH);
  await kiosk.enterNewPassword(fresh, 'first');
  await kiosk.enterNewPassword(fresh, 'confirm');
  await kiosk.touch(words.next, await kiosk.shows('done'), true);
  await kiosk.shows('take-card');
  await kiosk.removeCard();
  await kiosk.shows('top');

  expect(await verifyOnCard(file, 'sign', fresh)).toEqual({ result: 'verified' });
  expect(await verifyOnCard(file, 'sign', OLD_SIGN)).toMatchObject({ result: 'wrong' });
  expect(await kiosk.center.bookingState(kiosk.cardId('adult'), bookingId)).toBe('used');
});
