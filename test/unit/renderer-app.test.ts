// @vitest-environment happy-dom
/**
 * The smartphone-app simulator page (#/app) as a trainer and a citizen see and touch it, rendered
 * from the views of a fake window.kiosk.app: which phone screen shows, what it says (which password
 * it asks for, every time; every refusal's why and next step), and which app intent each touch
 * sends. The decisions are the core's (app-simulator.test.ts runs them on real cards).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils';
import { createPinia } from 'pinia';
import App from '../../renderer/src/App.vue';
import { createKioskI18n } from '../../renderer/src/i18n';
import { useKioskStore } from '../../renderer/src/stores/kiosk';
import { refusalText } from '../../renderer/src/app/refusal-text';
import { MESSAGES } from '../../renderer/src/i18n';
import { BookingRefusalSchema, type AppState, type AppStateOf, type BookingRefusal } from '../../electron/contract/app';
import { FakeKioskApi } from '../fakes/renderer-kiosk';
import { ADULT_CARD, appView, FakeTrainerKiosk } from '../fakes/renderer-app';

let wrapper: VueWrapper | null = null;
beforeEach(() => {
  window.location.hash = '#/app';
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  window.location.hash = '';
});

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) {
    await flushPromises();
    await new Promise((r) => setTimeout(r, 10));
  }
  if (!cond()) throw new Error('the page did not show what was expected');
}

/** The app page on a kiosk with the trainer's tools, its phone showing `state`. */
async function mountApp(state: AppState = { step: 'idle' }, api: FakeKioskApi = new FakeTrainerKiosk().withApp()): Promise<{ w: VueWrapper; api: FakeTrainerKiosk }> {
  if (api instanceof FakeTrainerKiosk && api.app) api.app.view = appView(state);
  const pinia = createPinia();
  wrapper = mount(App, { global: { plugins: [pinia, createKioskI18n()] }, attachTo: document.body });
  await useKioskStore(pinia).connect(api);
  await flushPromises();
  if (api instanceof FakeTrainerKiosk && api.app) await until(() => wrapper!.find(`[data-app-step="${state.step}"]`).exists());
  return { w: wrapper, api: api as FakeTrainerKiosk };
}

function buttons(w: VueWrapper, name: string, within = 'body'): DOMWrapper<Element>[] {
  const root = within === 'body' ? w : w.find(within);
  return root.findAll('button').filter((b) => b.text().replace(/\s+/g, ' ').trim() === name);
}

async function press(w: VueWrapper, name: string, within = 'body'): Promise<void> {
  const found = buttons(w, name, within);
  if (found.length !== 1) throw new Error(`expected one button "${name}", found ${found.length}: ${w.findAll('button').map((b) => b.text()).join(' | ')}`);
  await found[0]!.trigger('click');
  await flushPromises();
}

/** The core answers the next touch by moving to `state`. */
function next(api: FakeTrainerKiosk, state: AppState): void {
  api.app!.replies.push(appView(state));
}

const phone = (w: VueWrapper) => w.find('[data-phone]');

describe('the app page is a trainer tool', () => {
  it('without window.kiosk.trainer, #/app shows the kiosk, not the phone', async () => {
    const { w } = await mountApp({ step: 'idle' }, new FakeKioskApi());
    expect(w.find('[data-page="app"]').exists()).toBe(false);
    expect(w.find('[data-screen="top"]').exists()).toBe(true);
  });

  it('is reached from the trainer drawer', async () => {
    window.location.hash = '';
    const api = new FakeTrainerKiosk().withApp();
    const pinia = createPinia();
    wrapper = mount(App, { global: { plugins: [pinia, createKioskI18n()] }, attachTo: document.body });
    await useKioskStore(pinia).connect(api);
    await flushPromises();
    await buttons(wrapper, 'カード置き場')[0]!.trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-testid="open-app"]').attributes('href')).toBe('#/app');
  });
});

describe('the phone, step by step', () => {
  it('opens the app with the card the trainer picks: it goes to the phone as a start intent', async () => {
    const { w, api } = await mountApp();
    expect(phone(w).text()).toContain('パスワード初期化の予約');
    expect(w.find('[data-card="adult"]').text()).toContain('番号 花子');
    next(api, { step: 'consent', card: ADULT_CARD });
    await w.find('[aria-label="番号 花子さんのカードでアプリを開く"]').trigger('click');
    await flushPromises();
    expect(api.app?.sent).toEqual([{ type: 'start', card: 'adult' }]);
    expect(phone(w).find('[data-app-step="consent"]').exists()).toBe(true);
    // The card in hand, as printed on it, for the trainer.
    expect(w.find('[data-testid="card-face"]').text()).toContain('4321');
    // The kiosk's core heard nothing.
    expect(api.sent).toEqual([]);
  });

  it('consent: 同意する / 同意しない', async () => {
    const { w, api } = await mountApp({ step: 'consent', card: ADULT_CARD });
    next(api, { step: 'choose-kind', card: ADULT_CARD });
    await press(w, '同意する', '[data-phone]');
    expect(api.app?.sent).toEqual([{ type: 'consent', agree: true }]);
    expect(phone(w).find('[data-app-step="choose-kind"]').exists()).toBe(true);
  });

  it('which password: each option says what proves who the citizen is', async () => {
    const { w, api } = await mountApp({ step: 'choose-kind', card: ADULT_CARD });
    expect(phone(w).find('[data-kind="sign"]').text()).toContain('利用者証明用電子証明書の暗証番号(数字4桁)と顔認証');
    await phone(w).find('[data-kind="auth"]').trigger('click');
    await flushPromises();
    expect(api.app?.sent).toEqual([{ type: 'choose-kind', kind: 'auth' }]);
  });

  it('card front: 撮影 reads the card in hand; what is sent is what the fields say; the card’s disagreement is shown with tries left', async () => {
    const { w, api } = await mountApp({ step: 'card-front', card: ADULT_CARD, kind: 'sign', problem: null });
    await press(w, 'カードを撮影する', '[data-phone]');
    expect((phone(w).find('[data-field="security-code"]').element as HTMLInputElement).value).toBe('4321');
    await phone(w).find('[data-field="security-code"]').setValue('1111');
    next(api, { step: 'card-front', card: ADULT_CARD, kind: 'sign', problem: { mismatch: true, triesLeft: 9 } });
    await press(w, '次へ', '[data-phone]');
    expect(api.app?.sent).toEqual([{ type: 'submit-card-front', birthDate: '1990-01-02', cardExpiry: '2034-01-02', securityCode: '1111' }]);
    expect(phone(w).find('[role="alert"]').text()).toBe('カードの情報と一致しません。あと9回間違えると、カードの読み取りがロックされます。');
  });

  it('card front: a field that cannot be right', async () => {
    const { w } = await mountApp({ step: 'card-front', card: ADULT_CARD, kind: 'auth', problem: { field: 'security-code' } });
    expect(phone(w).find('[role="alert"]').text()).toBe('セキュリティコードは数字4桁です。');
  });

  const askAuth: AppStateOf<'other-password'> = {
    step: 'other-password',
    card: ADULT_CARD,
    kind: 'sign',
    password: 'auth',
    inputMode: 'numeric',
    minLength: 4,
    maxLength: 4,
    triesLeft: 3,
    maxTries: 3,
    problem: null,
  };

  it('the other password: says which one, every time; the keypad’s value is sent once on 確定, and the kiosk is not touched', async () => {
    const { w, api } = await mountApp(askAuth);
    const p = phone(w);
    expect(p.find('h2').text()).toBe('利用者証明用電子証明書の暗証番号を入力してください');
    expect(p.find('[data-testid="asks"]').text()).toBe(
      'いま入力するのは「利用者証明用電子証明書の暗証番号」(数字4桁)です。住民基本台帳用・券面事項入力補助用の暗証番号とは異なる場合があります。',
    );
    expect(p.find('[data-testid="tries-left"]').text()).toBe('残り入力回数 3回');
    next(api, { ...askAuth, triesLeft: 2, problem: 'wrong-password' });
    for (const k of '9999') await press(w, k, '[data-phone]');
    await press(w, '確定', '[data-phone]');
    expect(api.app?.sentOf('submit-other-password')).toEqual([{ type: 'submit-other-password', value: '9999' }]);
    expect(phone(w).find('[role="alert"]').text()).toBe('暗証番号が正しくありません。');
    expect(phone(w).find('[data-testid="tries-left"]').text()).toBe('残り入力回数 2回');
    // A fresh pad for the next try; nothing went to the kiosk (no input-activity either).
    expect(phone(w).find('[role="textbox"]').text()).toBe('');
    expect(api.sent).toEqual([]);
    // The typed value is not left in the page.
    expect(w.html()).not.toContain('9999');
  });

  it('the signature password gets the A–Z/0–9 keyboard and its own wording', async () => {
    const { w } = await mountApp({ ...askAuth, kind: 'auth', password: 'sign', inputMode: 'alphanumeric', minLength: 6, maxLength: 16, triesLeft: 5, maxTries: 5 });
    expect(phone(w).find('[data-testid="asks"]').text()).toBe('いま入力するのは「署名用電子証明書のパスワード」(英大文字と数字の6〜16桁)です。');
    expect(buttons(w, 'Z', '[data-phone]')).toHaveLength(1);
  });

  it('face check: decided by the trainer; a failure says how many more lock the app', async () => {
    const face: AppStateOf<'face-check'> = { step: 'face-check', card: ADULT_CARD, kind: 'sign', consecutiveFailures: 0, failuresBeforeLock: 5, lastFailed: false };
    const { w, api } = await mountApp(face);
    next(api, { ...face, consecutiveFailures: 1, failuresBeforeLock: 4, lastFailed: true });
    await press(w, '不一致', '[data-testid="face-check"]');
    expect(phone(w).find('[role="alert"]').text()).toBe('顔が一致しませんでした。あと4回続けて失敗すると、安全のためこのカードではアプリを利用できなくなります。');
    expect(w.find('[data-testid="face-check"]').text()).toContain('連続失敗 1回 ・ あと4回でロック');
    next(api, { step: 'booked', card: ADULT_CARD, kind: 'sign', bookingId: 'bk_1', completedAt: Date.UTC(2026, 10, 25, 1), expiresAt: Date.UTC(2026, 10, 26, 1), replaced: null });
    await press(w, '一致', '[data-testid="face-check"]');
    expect(api.app?.sentOf('face-check')).toEqual([
      { type: 'face-check', passed: false },
      { type: 'face-check', passed: true },
    ]);
    expect(phone(w).text()).toContain('予約が完了しました');
    expect(phone(w).text()).toContain('11月26日(木) 10:00までに、対応するコンビニのマルチコピー機で手続きしてください(24時間有効)。');
    // Outside the face check the trainer's buttons do nothing.
    expect(buttons(w, '一致', '[data-testid="face-check"]')[0]?.attributes('disabled')).toBeDefined();
  });

  it('やめる in the app bar while a booking runs; 最初に戻る after it ended', async () => {
    const { w, api } = await mountApp({ step: 'choose-kind', card: ADULT_CARD });
    next(api, { step: 'cancelled', card: ADULT_CARD });
    await press(w, 'やめる', '[data-phone]');
    expect(phone(w).text()).toContain('予約を中止しました');
    expect(buttons(w, 'やめる', '[data-phone]')).toHaveLength(0);
    next(api, { step: 'idle' });
    await press(w, '最初に戻る', '[data-phone]');
    expect(api.app?.sent).toEqual([{ type: 'cancel' }, { type: 'close' }]);
  });

  it('a refusal by the core changes nothing and says why on the trainer’s side', async () => {
    const { w, api } = await mountApp();
    api.app?.replies.push('card-in-use');
    await w.find('[aria-label="番号 花子さんのカードでアプリを開く"]').trigger('click');
    await flushPromises();
    expect(w.find('[data-testid="app-problem"]').text()).toBe('そのカードは使用中です(キオスクの読み取り機の上など)。先に取り出してください。');
    expect(phone(w).find('[data-app-step="idle"]').exists()).toBe(true);
  });

  it('the phone has its own language: English there, the kiosk untouched', async () => {
    const { w, api } = await mountApp({ step: 'consent', card: ADULT_CARD });
    await press(w, 'English', '[data-phone]');
    expect(phone(w).text()).toContain('I agree');
    expect(api.sent).toEqual([]);
  });
});

describe('refusals: why and where to go next, in both languages', () => {
  const refused = (reason: BookingRefusal, extra: Partial<AppStateOf<'refused'>> = {}): AppStateOf<'refused'> => ({
    step: 'refused',
    card: ADULT_CARD,
    reason,
    kind: 'sign',
    until: null,
    centerReason: null,
    detail: null,
    ...extra,
  });

  it.each((BookingRefusalSchema.enum as BookingRefusal[]).map((r) => [r]))('%s has words in ja and en', (reason) => {
    const text = refusalText(refused(reason));
    for (const lang of ['ja', 'en'] as const) {
      const find = (key: string) => key.split('.').reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], MESSAGES[lang]);
      expect(find(text.why), `${lang} ${text.why}`).toBeTruthy();
      expect(find(text.next), `${lang} ${text.next}`).toBeTruthy();
    }
  });

  it('shows the lock after 5 face failures, maintenance with its end, the locked password by name', async () => {
    let { w } = await mountApp(refused('app-locked'));
    expect(phone(w).find('[role="alert"]').text()).toBe('顔認証に5回続けて失敗したため、安全のため、このカードではアプリを利用できません。');
    expect(phone(w).text()).toContain('お住まいの市区町村の窓口へお越しください');
    wrapper?.unmount();
    ({ w } = await mountApp(refused('maintenance', { until: Date.UTC(2026, 10, 25, 3, 0) })));
    expect(phone(w).text()).toContain('ただいまメンテナンス中のため、予約できません。');
    expect(phone(w).text()).toContain('11月25日(水) 12:00以降に、もう一度お試しください。');
    wrapper?.unmount();
    ({ w } = await mountApp(refused('password-locked', { kind: 'auth', detail: 'JpkiError: VERIFY' })));
    expect(phone(w).find('[role="alert"]').text()).toBe('署名用電子証明書のパスワードがロックされているため、本人確認ができません。');
    expect(w.find('[data-trainer]').text()).toContain('トレーナー向けの詳細: JpkiError: VERIFY');
  });
});
