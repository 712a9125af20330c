// @vitest-environment happy-dom
/**
 * The kiosk screens as a citizen sees and touches them, rendered from snapshots of a fake
 * window.kiosk: which screen shows, what it says (in Japanese and English), which buttons exist,
 * and which intent each touch sends. The decisions themselves are the core's (tested there).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils';
import { createPinia } from 'pinia';
import App from '../../renderer/src/App.vue';
import { createKioskI18n } from '../../renderer/src/i18n';
import { useKioskStore } from '../../renderer/src/stores/kiosk';
import { FakeKioskApi, snapshotOf, TOP_SCREEN } from '../fakes/renderer-kiosk';
import { GuidanceReasonSchema, NextStepSchema, type GuidanceReason, type NextStep, type Screen, type ScreenOf, type Snapshot } from '../../electron/contract/kiosk';

type Wrapper = VueWrapper;
let wrapper: Wrapper | null = null;

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

async function mountKiosk(
  first: Snapshot | null = snapshotOf(TOP_SCREEN),
  opts: { trainer?: boolean } = {},
): Promise<{ w: Wrapper; api: FakeKioskApi }> {
  const api = new FakeKioskApi(first ?? undefined);
  if (opts.trainer === true) api.withTrainer();
  const pinia = createPinia();
  wrapper = mount(App, { global: { plugins: [pinia, createKioskI18n()] }, attachTo: document.body });
  await useKioskStore(pinia).connect(first === null ? null : api);
  await flushPromises();
  return { w: wrapper, api };
}

/** What the citizen sees change after the core pushes a snapshot. */
async function show(api: FakeKioskApi, screen: Screen, overrides: Partial<Omit<Snapshot, 'screen'>> = {}): Promise<void> {
  api.show(screen, overrides);
  await flushPromises();
}

function screenId(w: Wrapper): string | undefined {
  return w.find('[data-screen]').attributes('data-screen');
}

/** The buttons whose visible text is `name` (what getByRole('button', { name }) finds). */
function buttons(w: Wrapper, name: string): DOMWrapper<Element>[] {
  return w.findAll('button').filter((b) => b.text().replace(/\s+/g, ' ').trim() === name);
}

function button(w: Wrapper, name: string): DOMWrapper<Element> {
  const found = buttons(w, name);
  if (found.length !== 1) throw new Error(`expected one button "${name}", found ${found.length}: ${w.findAll('button').map((b) => b.text()).join(' | ')}`);
  return found[0] as DOMWrapper<Element>;
}

async function press(w: Wrapper, name: string): Promise<void> {
  await button(w, name).trigger('click');
  await flushPromises();
}

async function pressKeys(w: Wrapper, keys: string): Promise<void> {
  for (const k of keys) await press(w, k);
}

function field(w: Wrapper): string {
  return w.find('[role="textbox"]').text();
}

function isDisabled(b: DOMWrapper<Element>): boolean {
  return b.attributes('disabled') !== undefined;
}

const PIN_ENTRY: Screen = {
  id: 'other-password',
  kind: 'sign',
  password: 'auth',
  inputMode: 'numeric',
  minLength: 4,
  maxLength: 4,
  triesLeft: 3,
  maxTries: 3,
  problem: null,
};

const NEW_SIGN: Screen = {
  id: 'new-password',
  kind: 'sign',
  password: 'sign',
  inputMode: 'alphanumeric',
  minLength: 6,
  maxLength: 16,
  step: 'first',
  problem: null,
};

/** A guidance screen as the core builds it (electron/kiosk/guidance.ts decides `next`; any value renders). */
function guidance(
  reason: GuidanceReason,
  facts: Partial<Omit<ScreenOf<'guidance'>, 'id' | 'reason'>> = {},
): ScreenOf<'guidance'> {
  const next: NextStep =
    reason === 'outside-hours' || reason === 'maintenance'
      ? 'come-back-when-open'
      : reason === 'chain-does-not-offer'
        ? 'other-store-or-counter'
        : reason === 'other-password-locked'
          ? 'municipal-counter-with-id'
          : 'start-again';
  return { id: 'guidance', reason, next, kind: null, changed: null, opensAt: null, chains: [], ...facts };
}

/** One snapshot per screen id, as the core would send them. */
const EVERY_SCREEN: Screen[] = [
  TOP_SCREEN,
  { id: 'admin-menu', items: [{ item: 'certificates', enabled: false }, { item: 'my-number-card', enabled: true }] },
  {
    id: 'card-menu',
    options: [
      { option: 'reset-sign', offered: true },
      { option: 'reset-auth', offered: false },
      { option: 'reset-juki', offered: false },
      { option: 'reset-text', offered: false },
    ],
  },
  { id: 'notice', kind: 'auth' },
  { id: 'place-card', kind: 'sign' },
  { id: 'progress', kind: 'sign', step: 'checking-reservation', doNotRemoveCard: false },
  PIN_ENTRY,
  NEW_SIGN,
  { id: 'done', kind: 'auth' },
  { id: 'take-card', after: 'completed' },
  guidance('reservation-expired', { kind: 'sign', changed: 'nothing' }),
];

describe('every screen', () => {
  it.each(['ja', 'en'] as const)('renders from its snapshot, marked with its id, with a language button, in %s', async (language) => {
    const { w, api } = await mountKiosk();
    for (const screen of EVERY_SCREEN) {
      await show(api, screen, { language });
      expect(screenId(w)).toBe(screen.id);
      expect(buttons(w, language === 'ja' ? 'English' : '日本語')).toHaveLength(1);
      // A missing message would show its key, e.g. "guidance.reason.x.title".
      expect(w.text()).not.toMatch(/\b[a-zA-Z]+\.[a-zA-Z-]+\.[a-zA-Z-]+/);
    }
  });

  it('shows やめる and 戻る only where the core allows them', async () => {
    const { w, api } = await mountKiosk();
    expect(buttons(w, 'やめる')).toHaveLength(0);
    await show(api, { id: 'notice', kind: 'sign' }, { canCancel: true, canGoBack: true });
    await press(w, 'やめる');
    await press(w, '戻る');
    expect(api.sent).toEqual([{ type: 'cancel' }, { type: 'back' }]);
    await show(api, { id: 'progress', kind: 'sign', step: 'writing-card', doNotRemoveCard: true }, { canCancel: false, canGoBack: false, timeout: null });
    expect(buttons(w, 'やめる')).toHaveLength(0);
    expect(buttons(w, '戻る')).toHaveLength(0);
  });

  it('a footer band only where it holds something (戻る, the countdown or the screen’s buttons)', async () => {
    const { w, api } = await mountKiosk();
    expect(w.find('footer').exists()).toBe(false);
    await show(api, { id: 'notice', kind: 'sign' }, { canGoBack: true });
    expect(w.find('footer').exists()).toBe(true);
    await show(api, { id: 'progress', kind: 'sign', step: 'checking-reservation', doNotRemoveCard: false }, { canCancel: true, canGoBack: false, timeout: null });
    expect(w.find('footer').exists()).toBe(false);
  });

  it('says so when there is no core to talk to, in either language', async () => {
    const { w } = await mountKiosk(null);
    expect(screenId(w)).toBe('unavailable');
    expect(w.text()).toContain('ただいま、この端末はご利用いただけません');
    await press(w, 'English');
    expect(w.text()).toContain('This terminal is not available at the moment');
  });
});

describe('menus', () => {
  it('top: only 行政サービス can be touched, and it asks the core for the admin menu', async () => {
    const { w, api } = await mountKiosk();
    expect(screenId(w)).toBe('top');
    expect(isDisabled(button(w, 'コピー'))).toBe(true);
    expect(isDisabled(button(w, '行政サービス'))).toBe(false);
    await press(w, 'コピー');
    await press(w, '行政サービス');
    expect(api.sent).toEqual([{ type: 'choose-service', service: 'admin' }]);
    // The renderer does not move on by itself: the screen changes only with the core's snapshot.
    expect(screenId(w)).toBe('top');
  });

  it('the language button switches to what the core then sends', async () => {
    const { w, api } = await mountKiosk();
    await press(w, 'English');
    expect(api.sent).toEqual([{ type: 'set-language', language: 'en' }]);
    await show(api, TOP_SCREEN, { language: 'en' });
    expect(w.text()).toContain('Please choose a service');
    expect(buttons(w, 'Government services')).toHaveLength(1);
    expect(document.documentElement.lang).toBe('en');
    await press(w, '日本語');
    expect(api.sentOf('set-language').at(-1)).toEqual({ type: 'set-language', language: 'ja' });
  });

  it('card menu: a reset the store does not offer is marked but still explained on touch; counter-only PINs too', async () => {
    const { w, api } = await mountKiosk();
    await show(api, EVERY_SCREEN[2] as Screen);
    const auth = w.find('[data-option="reset-auth"]');
    expect(auth.text()).toContain('この店舗では取り扱っていません');
    expect(w.find('[data-option="reset-sign"]').text()).not.toContain('この店舗では取り扱っていません');
    await auth.trigger('click');
    await w.find('[data-option="reset-juki"]').trigger('click');
    await w.find('[data-option="reset-sign"]').trigger('click');
    expect(api.sentOf('choose-card-option').map((i) => i.option)).toEqual(['reset-auth', 'reset-juki', 'reset-sign']);
  });

  it('notice: 同意する', async () => {
    const { w, api } = await mountKiosk();
    await show(api, { id: 'notice', kind: 'sign' }, { journey: 'notice' });
    expect(w.text()).toContain('JPKI暗証番号リセット');
    expect(w.text()).toContain('利用者証明用電子証明書の暗証番号(数字4桁)が必要です');
    expect(w.find('[aria-current="step"]').text()).toContain('ご注意');
    await press(w, '同意する');
    expect(api.sent).toEqual([{ type: 'agree' }]);
  });
});

describe('card placement and waits', () => {
  it('shows the reader status live', async () => {
    const { w, api } = await mountKiosk();
    await show(api, { id: 'place-card', kind: 'sign' }, { reader: { state: 'empty', name: 'Virtual PCD 00 00' } });
    expect(w.find('h1').text()).toBe('カードを置いてください');
    const status = () => w.find('[data-testid="reader-status"]').text();
    expect(status()).toBe('カードが置かれるのを待っています');
    expect(w.text()).toContain('Virtual PCD 00 00');
    api.update({ reader: { state: 'unavailable', name: null } });
    await flushPromises();
    expect(status()).toBe('カード読み取り機が使えません。店員にお声がけください。');
  });

  it('every progress step says what is happening; from authorization on: do not remove the card', async () => {
    const { w, api } = await mountKiosk();
    await show(api, { id: 'progress', kind: 'sign', step: 'checking-reservation', doNotRemoveCard: false });
    expect(w.find('[role="status"]').text()).toBe('予約を確認しています');
    expect(w.text()).not.toContain('処理中です。カードを取り外さないでください');
    await show(api, { id: 'progress', kind: 'sign', step: 'writing-card', doNotRemoveCard: true }, { canCancel: false, timeout: null });
    expect(w.find('[role="status"]').text()).toBe('カードに新しいパスワードを書き込んでいます');
    expect(w.find('[role="alert"]').text()).toBe('処理中です。カードを取り外さないでください');
  });
});

describe('the other password', () => {
  it('says which password, how many tries are left and what a lock means', async () => {
    const { w, api } = await mountKiosk();
    await show(api, PIN_ENTRY);
    expect(w.find('h1').text()).toBe('利用者証明用電子証明書の暗証番号を入力してください');
    expect(w.find('[data-testid="tries-left"]').text()).toBe('残り入力回数 3回');
    expect(w.text()).toContain('あと3回間違えるとロックされます');
  });

  it('the lock note is calm while every try is left, a warning after a mistake, strongest at the last try', async () => {
    const { w, api } = await mountKiosk();
    const tone = () => w.find('[data-testid="lock-note"]').attributes('data-tone');
    await show(api, PIN_ENTRY);
    expect(tone()).toBe('info');
    await show(api, { ...PIN_ENTRY, triesLeft: 2, problem: 'wrong-password' });
    expect(tone()).toBe('warn');
    await show(api, { ...PIN_ENTRY, triesLeft: 1, problem: 'wrong-password' });
    expect(tone()).toBe('last');
  });

  it('typing on the keypad stays on screen, masked; 確定 sends the PIN once and empties the field', async () => {
    const { w, api } = await mountKiosk();
    await show(api, PIN_ENTRY);
    const submit = () => button(w, '確定');
    await pressKeys(w, '482');
    expect(field(w)).toBe('●●●');
    expect(isDisabled(submit())).toBe(true);
    expect(w.find('[data-testid="live-hint"]').text()).toBe('4桁で入力してください');
    // A countdown tick does not wipe what is being typed.
    api.update({ timeout: { secondsLeft: 42, warning: false } });
    await flushPromises();
    expect(field(w)).toBe('●●●');
    await pressKeys(w, '19');
    expect(field(w)).toBe('●●●●');
    await press(w, '表示する');
    expect(field(w)).toBe('4821');
    expect(isDisabled(submit())).toBe(false);
    await press(w, '確定');
    await press(w, '確定');
    expect(api.sentOf('submit-other-password')).toEqual([{ type: 'submit-other-password', value: '4821' }]);
    expect(field(w)).toBe('');
    // Each key press only said "someone is here": no digit, no length.
    expect(api.sentOf('input-activity').length).toBeGreaterThanOrEqual(5);
    for (const i of api.sent) if (i.type !== 'submit-other-password') expect(JSON.stringify(i)).not.toMatch(/48|21|"value"/);
  });

  it('delete and clear', async () => {
    const { w, api } = await mountKiosk();
    await show(api, PIN_ENTRY);
    await press(w, '表示する');
    await pressKeys(w, '123');
    await press(w, '1文字消す');
    expect(field(w)).toBe('12');
    await press(w, 'すべて消す');
    expect(field(w)).toBe('');
  });

  it('a wrong PIN: the core says so and the field starts empty with one try fewer', async () => {
    const { w, api } = await mountKiosk();
    await show(api, PIN_ENTRY);
    await pressKeys(w, '12');
    await show(api, { ...PIN_ENTRY, triesLeft: 1, problem: 'wrong-password' });
    expect(w.find('[role="alert"]').text()).toBe('暗証番号が正しくありません。');
    expect(w.find('[data-testid="tries-left"]').text()).toBe('残り入力回数 1回');
    expect(w.text()).toContain('あと1回間違えるとロックされます');
    expect(field(w)).toBe('');
  });

  it('「わからない場合」 tells the core', async () => {
    const { w, api } = await mountKiosk();
    await show(api, PIN_ENTRY);
    await press(w, 'わからない場合');
    expect(api.sent).toEqual([{ type: 'dont-know-other-password' }]);
  });

  it('the signature password as the other one gets the alphanumeric keyboard', async () => {
    const { w, api } = await mountKiosk();
    await show(api, { ...PIN_ENTRY, kind: 'auth', password: 'sign', inputMode: 'alphanumeric', minLength: 6, maxLength: 16, triesLeft: 5, maxTries: 5 });
    expect(w.find('h1').text()).toBe('署名用電子証明書のパスワードを入力してください');
    expect(buttons(w, 'Q')).toHaveLength(1);
    expect(buttons(w, '0')).toHaveLength(1);
  });
});

describe('the new password', () => {
  it('checks the rule live while typing and submits the entry; then asks again to confirm', async () => {
    const { w, api } = await mountKiosk();
    await show(api, NEW_SIGN, { journey: 'new-password' });
    expect(w.find('h1').text()).toBe('新しい署名用電子証明書のパスワードを入力してください');
    const hint = () => w.find('[data-testid="live-hint"]').text();
    const met = () => w.findAll('.rules li.met').length;
    expect(hint()).toBe('入力してください');
    await pressKeys(w, 'AB');
    expect(met()).toBe(1);
    expect(hint()).toBe('6桁以上で入力してください');
    await pressKeys(w, 'CDEF');
    expect(hint()).toBe('数字(0〜9)を1文字以上含めてください');
    expect(isDisabled(button(w, '確定'))).toBe(true);
    await press(w, '1文字消す');
    await pressKeys(w, '12');
    expect(met()).toBe(3);
    expect(hint()).toBe('この内容で確定できます');
    await press(w, '確定');
    expect(api.sentOf('submit-new-password')).toEqual([{ type: 'submit-new-password', value: 'ABCDE12' }]);

    await show(api, { ...NEW_SIGN, step: 'confirm' }, { journey: 'new-password' });
    expect(w.find('h1').text()).toBe('確認のため、もう一度入力してください');
    expect(field(w)).toBe('');
  });

  it('a mismatch brings back the first entry with a message', async () => {
    const { w, api } = await mountKiosk();
    await show(api, { ...NEW_SIGN, step: 'first', problem: 'mismatch' });
    expect(w.find('[role="alert"]').text()).toBe('1回目と2回目の入力が一致しませんでした。もう一度、最初から入力してください。');
  });

  it('a new 4-digit PIN uses the numeric keypad', async () => {
    const { w, api } = await mountKiosk();
    await show(api, { ...NEW_SIGN, kind: 'auth', password: 'auth', inputMode: 'numeric', minLength: 4, maxLength: 4 });
    await pressKeys(w, '9057');
    await press(w, '確定');
    expect(api.sentOf('submit-new-password')).toEqual([{ type: 'submit-new-password', value: '9057' }]);
    expect(buttons(w, 'A')).toHaveLength(0);
  });
});

describe('endings', () => {
  it('done → 次へ', async () => {
    const { w, api } = await mountKiosk();
    await show(api, { id: 'done', kind: 'sign' }, { journey: 'done' });
    expect(w.find('h1').text()).toBe('手続きが完了しました');
    await press(w, '次へ');
    expect(api.sent).toEqual([{ type: 'acknowledge' }]);
  });

  it('take card: waits for the card; 確認 only once it is off the reader', async () => {
    const { w, api } = await mountKiosk();
    await show(api, { id: 'take-card', after: 'timed-out' }, { reader: { state: 'card-present', name: 'Virtual PCD 00 00' } });
    expect(w.find('h1').text()).toBe('カードをお取りください');
    expect(w.text()).toContain('一定時間操作がなかったため、手続きを終了しました。');
    expect(buttons(w, '確認')).toHaveLength(0);
    api.update({ reader: { state: 'empty', name: 'Virtual PCD 00 00' } });
    await flushPromises();
    await press(w, '確認');
    expect(api.sent).toEqual([{ type: 'acknowledge' }]);
  });

  it.each(GuidanceReasonSchema.enum as GuidanceReason[])('guidance %s: says why and where to go next, in both languages', async (reason) => {
    const { w, api } = await mountKiosk();
    for (const kind of ['sign', 'auth'] as const) {
      for (const language of ['ja', 'en'] as const) {
        await show(api, guidance(reason, { kind, changed: 'nothing', opensAt: Date.UTC(2026, 10, 25, 21, 30) }), { language });
        expect(w.find('h1').text().length).toBeGreaterThan(5);
        expect(w.find('[data-testid="next-step"]').text().length).toBeGreaterThan(5);
      }
    }
  });

  it.each(NextStepSchema.enum as NextStep[])('guidance next step %s is spelled out in both languages', async (next) => {
    const { w, api } = await mountKiosk();
    for (const language of ['ja', 'en'] as const) {
      await show(api, { ...guidance('card-error'), next, chains: next === 'other-store-or-counter' ? ['aeon'] : [] }, { language });
      expect(w.find('[data-testid="next-step"]').text().length).toBeGreaterThan(5);
    }
  });

  it('guidance: the opening time, the stores that offer the reset, and whether the card changed', async () => {
    const { w, api } = await mountKiosk();
    await show(api, guidance('outside-hours', { opensAt: Date.UTC(2026, 10, 25, 21, 30) }));
    expect(w.find('[data-testid="next-step"]').text()).toBe('11月26日(木) 6:30以降に、もう一度お越しください。');
    expect(w.find('[data-testid="card-change"]').exists()).toBe(false);

    await show(api, guidance('chain-does-not-offer', { kind: 'auth', chains: ['seven-eleven', 'aeon'] }));
    expect(w.text()).toContain('セブン-イレブン');
    expect(w.text()).toContain('イオン(本州・四国)');
    expect(w.text()).not.toContain('ローソン');

    await show(api, guidance('card-removed', { kind: 'sign', changed: 'unknown' }));
    expect(w.find('[data-testid="card-change"]').text()).toContain('パスワードが変更されたかどうかをまだ確認できていません');
    expect(w.find('[data-testid="card-change"]').text()).toContain('もう一度カードを置いて');
    await show(api, guidance('card-removed', { kind: 'sign', changed: 'not-written' }));
    expect(w.find('[data-testid="card-change"]').text()).toContain('予約は使われていないため、もう一度お試しいただけます');
    await show(api, guidance('reset-already-done', { kind: 'sign', changed: 'reset-completed', next: 'nothing-to-do' }));
    expect(w.text()).toContain('パスワードの変更は、前回の操作で完了しています');
    expect(w.find('[data-testid="next-step"]').text()).toContain('この手続きの必要はありません');
    await show(api, guidance('card-removed', { kind: 'sign', changed: 'reset-completed' }));
    expect(w.find('[data-testid="card-change"]').text()).toContain('パスワードの変更は完了しています');

    await show(api, guidance('other-password-locked', { kind: 'sign', changed: 'nothing' }));
    expect(w.text()).toContain('利用者証明用電子証明書の暗証番号がロックされています。');
    expect(w.find('[data-testid="next-step"]').text()).toContain('本人確認書類');
    await press(w, '確認');
    expect(api.sentOf('acknowledge')).toHaveLength(1);
  });
});

describe('inactivity', () => {
  it('shows the countdown, then a dialog with 「続ける」 in the last seconds', async () => {
    const { w, api } = await mountKiosk();
    await show(api, { id: 'notice', kind: 'sign' }, { timeout: { secondsLeft: 75, warning: false } });
    expect(w.find('[role="timer"]').text()).toBe('残り75秒');
    expect(w.find('[role="alertdialog"]').exists()).toBe(false);
    api.update({ timeout: { secondsLeft: 9, warning: true } });
    await flushPromises();
    const dialog = w.find('[role="alertdialog"]');
    expect(dialog.text()).toContain('あと9秒で手続きを終了します');
    await press(w, '続ける');
    expect(api.sent).toEqual([{ type: 'continue' }]);
  });
});

describe('the simulator card tray (trainer)', () => {
  it('is there only when the host has virtual cards', async () => {
    const { w } = await mountKiosk();
    expect(w.find('[data-trainer]').exists()).toBe(false);
  });

  it('lists the cards, places one on the reader (the kiosk then sees it) and takes it off', async () => {
    const { w, api } = await mountKiosk(snapshotOf({ id: 'place-card', kind: 'sign' }), { trainer: true });
    await press(w, 'カード置き場');
    const tray = w.find('#card-tray');
    expect(tray.text()).toContain('番号 花子');
    expect(tray.text()).toContain('鍵田 一郎');
    await w.find('[aria-label="番号 花子さんのカードを置く"]').trigger('click');
    await flushPromises();
    expect(api.trainer?.calls).toEqual(['list', 'place adult']);
    expect(w.find('[data-card="adult"]').text()).toContain('読み取り機の上');
    expect(w.find('[data-testid="reader-status"]').text()).toBe('カードを確認しました');
    await press(w, 'カードを取り出す');
    expect(api.trainer?.calls.at(-1)).toBe('remove');
    expect(w.find('[data-testid="reader-status"]').text()).toBe('カードが置かれるのを待っています');
    // The tray never sends intents: the core sees only a card coming and going.
    expect(api.sent).toEqual([]);
  });

  it('says why a card could not be placed', async () => {
    const { w, api } = await mountKiosk(snapshotOf({ id: 'place-card', kind: 'sign' }), { trainer: true });
    if (api.trainer) api.trainer.available = false;
    await press(w, 'カード置き場');
    expect(w.find('#card-tray').text()).toContain('仮想カードの読み取り機が使えません(pcscd / vpcd を確認してください)。');
    await w.find('[aria-label="番号 花子さんのカードを置く"]').trigger('click');
    await flushPromises();
    expect(w.find('#card-tray [role="alert"]').text()).toBe('仮想カードの読み取り機が使えません。');
  });
});
