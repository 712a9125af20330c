/**
 * The simulator's card tray, as a trainer uses it with `npm start`: the 「カード置き場」 drawer puts a
 * persona card on the kiosk's reader and takes it off through the host's own slot daemon — the same
 * PC/SC path a physical card takes — and the kiosk reacts as to a citizen's hand.
 */
import { PERSONAS } from '../../native/card/personas';
import { verifyOnCard } from './cards';
import { expect, newAuthPin, test, words } from './fixtures';

const SIGN = PERSONAS.adult.pins.sign as string;
const OLD_AUTH = PERSONAS.adult.pins.auth as string;

test('a 利用者証明用 reset with the card placed and taken from the card tray', async ({ kiosk, page }) => {
  await kiosk.center.book(kiosk.cardId('adult'), 'auth');
  const fresh = newAuthPin(OLD_AUTH);
  await kiosk.startReset('auth');

  await page.getByRole('button', { name: 'カード置き場' }).click();
  const tray = page.getByRole('complementary', { name: 'シミュレータ:カード置き場' });
  await tray.getByRole('button', { name: '番号 花子さんのカードを置く' }).click();
  await expect(tray.getByText('読み取り機の上')).toBeVisible();
  await tray.getByRole('button', { name: '閉じる' }).click();

  await kiosk.enterOtherPassword(SIGN);
  await kiosk.enterNewPassword(fresh, 'first');
  await kiosk.enterNewPassword(fresh, 'confirm');
  await kiosk.touch(words.next, await kiosk.shows('done'), true);
  await kiosk.shows('take-card');

  await page.getByRole('button', { name: 'カード置き場' }).click();
  await tray.getByRole('button', { name: 'カードを取り出す' }).click();
  await kiosk.shows('top');

  expect(await verifyOnCard(kiosk.cardFile('adult'), 'auth', fresh)).toEqual({ result: 'verified' });
  expect(await verifyOnCard(kiosk.cardFile('adult'), 'auth', OLD_AUTH)).toMatchObject({ result: 'wrong' });
});
