/**
 * Every refusal of issue 6 reaches its guidance screen, by touch, with a real card on the reader
 * and the real center: why, whether the card was changed, and where to go next. Where a card is
 * involved, the test then takes the card and the kiosk is back at its top menu — and the card's
 * counters show nothing was tried on it.
 */
import { PERSONAS, type PersonaId } from '../../native/card/personas';
import type { GuidanceReason } from '../../electron/contract/kiosk';
import type { ResetKind } from '../../electron/domain/passwords';
import { triesLeftOnCard } from './cards';
import { expect, test, words, type Kiosk } from './fixtures';

const NOTHING_CHANGED = 'カードの内容は変更されていません。';
const BOOK_IN_APP = 'スマートフォンアプリ「JPKI暗証番号リセット」で予約してから、24時間以内にもう一度お越しください。';
const COUNTER = 'お住まいの市区町村の窓口にお問い合わせください。';
const COUNTER_WITH_ID = 'マイナンバーカードと本人確認書類(運転免許証など)をお持ちのうえ、お住まいの市区町村の窓口で手続きしてください。';
const COUNTER_REISSUE = 'お住まいの市区町村の窓口で、電子証明書の発行の手続きをしてください。';

interface Refusal {
  readonly title: string;
  readonly next: string;
}

/** Starts `kind` with `persona`'s card, expects guidance `reason`, and takes the card back. */
async function refused(kiosk: Kiosk, persona: PersonaId, kind: ResetKind, reason: GuidanceReason, want: Refusal): Promise<void> {
  await kiosk.startReset(kind);
  await kiosk.place(persona);
  const panel = await kiosk.guidance(reason);
  await expect(panel.getByRole('heading', { level: 1 })).toHaveText(want.title);
  await expect(panel.getByTestId('card-change')).toHaveText(NOTHING_CHANGED);
  await expect(panel.getByTestId('next-step')).toHaveText(want.next);
  await kiosk.acknowledgeAndTakeCard();
}

/** Tries left of both JPKI passwords as the persona was issued (nothing was tried on the card). */
async function expectUntried(kiosk: Kiosk, persona: PersonaId): Promise<void> {
  const file = kiosk.cardFile(persona);
  const issued = PERSONAS[persona];
  expect(await triesLeftOnCard(file, 'auth')).toBe(issued.triesLeft?.auth ?? 3);
  if (persona !== 'under15') expect(await triesLeftOnCard(file, 'sign')).toBe(issued.triesLeft?.sign ?? 5);
}

test.describe('reservations', () => {
  test('no reservation: book in the app first', async ({ kiosk }) => {
    await refused(kiosk, 'adult', 'sign', 'no-reservation', { title: 'このカードの予約が見つかりません', next: BOOK_IN_APP });
    await expectUntried(kiosk, 'adult');
  });

  test('a reservation older than 24 hours: book again', async ({ kiosk }) => {
    await kiosk.center.bookExpired(kiosk.cardId('adult'), 'sign');
    await refused(kiosk, 'adult', 'sign', 'reservation-expired', { title: '予約の有効期限が過ぎています', next: BOOK_IN_APP });
  });

  test('a reservation already used at another kiosk: book again', async ({ kiosk }) => {
    await kiosk.center.bookUsed(kiosk.cardId('adult'), 'auth');
    await refused(kiosk, 'adult', 'auth', 'reservation-used', { title: 'この予約は、すでに使用されています', next: BOOK_IN_APP });
  });

  test('the app locked after five failed face checks: the counter', async ({ kiosk }) => {
    await kiosk.center.lockApp(kiosk.cardId('adult'));
    await refused(kiosk, 'adult', 'sign', 'app-locked', { title: 'このカードでは、アプリをご利用いただけなくなっています', next: COUNTER });
  });
});

test.describe('at a chain without 利用者証明用 resets', () => {
  test.use({ setup: { chain: 'familymart' } });

  test('the 利用者証明用 reset is marked and explained, with the stores that offer it', async ({ kiosk }) => {
    const menu = await kiosk.openCardMenu();
    const authTile = menu.getByRole('button', { name: words.resetAuth });
    await expect(authTile).toContainText('この店舗では取り扱っていません');
    await authTile.click();
    const panel = await kiosk.guidance('chain-does-not-offer');
    await expect(panel.getByRole('heading', { level: 1 })).toHaveText('この店舗では、この手続きを取り扱っていません');
    await expect(panel.getByRole('listitem')).toHaveText(['セブン-イレブン', 'イオン(本州・四国)']);
    // The 署名用 reset is offered here.
    await kiosk.touch(words.ok, kiosk.screen('guidance'), true);
    await kiosk.startReset('sign');
  });
});

test.describe('the card', () => {
  test('the other password is locked (署名用 locked, resetting 利用者証明用): the counter with ID', async ({ kiosk }) => {
    await refused(kiosk, 'sign-locked', 'auth', 'other-password-locked', { title: 'ご本人の確認に使う暗証番号がロックされています', next: COUNTER_WITH_ID });
    await expectUntried(kiosk, 'sign-locked');
  });

  test('the other password is locked (利用者証明用 locked, resetting 署名用): the counter with ID', async ({ kiosk }) => {
    await refused(kiosk, 'auth-locked', 'sign', 'other-password-locked', { title: 'ご本人の確認に使う暗証番号がロックされています', next: COUNTER_WITH_ID });
    await expectUntried(kiosk, 'auth-locked');
  });

  test('both passwords unknown: 「わからない場合」 leads to the counter, nothing tried on the card', async ({ kiosk }) => {
    await kiosk.center.book(kiosk.cardId('both-unknown'), 'sign');
    await kiosk.startReset('sign');
    await kiosk.place('both-unknown');
    await kiosk.touch(words.dontKnow, await kiosk.shows('other-password'));
    const panel = await kiosk.guidance('both-passwords-unknown');
    await expect(panel.getByRole('heading', { level: 1 })).toHaveText('ご本人の確認ができないため、この端末では手続きできません');
    await expect(panel.getByTestId('next-step')).toHaveText(COUNTER_WITH_ID);
    await kiosk.acknowledgeAndTakeCard();
    await expectUntried(kiosk, 'both-unknown');
  });

  test('under 15, 署名用: there is no signature certificate, nothing to do', async ({ kiosk }) => {
    await refused(kiosk, 'under15', 'sign', 'no-signature-certificate', { title: 'このカードには署名用電子証明書がありません', next: 'この手続きの必要はありません。' });
  });

  test('under 15, 利用者証明用: no signature password to prove who it is, the counter with ID', async ({ kiosk }) => {
    await refused(kiosk, 'under15', 'auth', 'no-signature-certificate', { title: 'このカードには署名用電子証明書がありません', next: COUNTER_WITH_ID });
    await expectUntried(kiosk, 'under15');
  });

  test('signature certificate lapsed after a move: re-issue at the counter', async ({ kiosk }) => {
    await refused(kiosk, 'sign-lapsed', 'sign', 'certificate-revoked', { title: '電子証明書が失効しています', next: COUNTER_REISSUE });
    await expectUntried(kiosk, 'sign-lapsed');
  });

  test('certificates expired: re-issue at the counter', async ({ kiosk }) => {
    await refused(kiosk, 'cert-expired', 'auth', 'certificate-expired', { title: '電子証明書の有効期限が切れています', next: COUNTER_REISSUE });
    await expectUntried(kiosk, 'cert-expired');
  });

  test('card expired: the counter', async ({ kiosk }) => {
    await refused(kiosk, 'card-expired', 'sign', 'card-expired', { title: 'カードの有効期限が切れています', next: COUNTER });
    await expectUntried(kiosk, 'card-expired');
  });

  test('a card without the simulator marks is treated as a real card: refused, and nothing that changes a card is sent to it', async ({ kiosk }) => {
    await kiosk.center.book(kiosk.cardId('adult'), 'sign');
    await kiosk.startReset('sign');
    const card = await kiosk.place('adult', { realLooking: true });
    const panel = await kiosk.guidance('real-card');
    await expect(panel.getByRole('heading', { level: 1 })).toHaveText('このカードは、このシミュレータでは使えません');
    await expect(panel.getByTestId('card-change')).toHaveText(NOTHING_CHANGED);
    await expect(panel.getByTestId('next-step')).toHaveText('シミュレータ用のカードを置いて、最初からやり直してください。');
    await kiosk.acknowledgeAndTakeCard();
    // The kiosk did read it (SELECT, READ BINARY) but sent no VERIFY with a value, no CHANGE, no
    // GET CHALLENGE / EXTERNAL AUTHENTICATE / RESET RETRY COUNTER.
    expect(card!.seen.length).toBeGreaterThan(0);
    expect(card!.changingCommands()).toEqual([]);
    await expectUntried(kiosk, 'adult');
  });
});

test.describe('counter-only PINs', () => {
  for (const [name, tile] of [
    ['住民基本台帳用', words.resetJuki],
    ['券面事項入力補助用', words.resetText],
  ] as const) {
    test(`${name}: only the municipal counter resets it`, async ({ kiosk }) => {
      const menu = await kiosk.openCardMenu();
      await kiosk.touch(tile, menu);
      const panel = await kiosk.guidance('counter-only-pin');
      await expect(panel.getByRole('heading', { level: 1 })).toHaveText('この暗証番号は、この端末では初期化できません');
      await expect(panel.getByTestId('next-step')).toHaveText(COUNTER);
      // No card involved: 確認 goes straight back to the top menu.
      await kiosk.touch(words.ok, kiosk.screen('guidance'), true);
      await kiosk.shows('top');
    });
  }
});

test.describe('reader unavailable', () => {
  // The kiosk is set to a reader that is not connected (pcscd answers, the reader is missing).
  test.use({ setup: { readerName: 'Virtual PCD 00 07' } });

  test('the kiosk says so before asking for the card, and sends the citizen to the staff', async ({ kiosk }) => {
    const menu = await kiosk.openCardMenu();
    await kiosk.touch(words.resetSign, menu);
    await kiosk.touch(words.agree, await kiosk.shows('notice'));
    const panel = await kiosk.guidance('reader-unavailable');
    await expect(panel.getByRole('heading', { level: 1 })).toHaveText('カード読み取り機が使えません');
    await expect(panel.getByTestId('next-step')).toHaveText('しばらくしてからもう一度お試しいただくか、店員にお声がけください。');
  });
});
