// @vitest-environment happy-dom
/**
 * The classroom console page (`/console/`) as a trainer sees and clicks it, fed by a fake
 * window.kiosk.console with four stations: each tile draws its station's screen with the kiosk's
 * real screens (in the station's language) and its facts; clicks select stations and ask for the
 * right action; a failed action says where; the summary and its CSV; a refused console says why.
 * Nothing a tile holds can reach window.kiosk.send.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils';
import { createPinia, type Pinia } from 'pinia';
import App from '../../renderer/src/App.vue';
import { createKioskI18n, MESSAGES } from '../../renderer/src/i18n';
import { openConsole } from '../../renderer/src/console/connect';
import { useConsoleStore } from '../../renderer/src/console/console-store';
import { CLASS_NOW, FakeConsoleKiosk, PIN_ENTRY } from '../fakes/renderer-console';
import { FakeKioskApi, TOP_SCREEN } from '../fakes/renderer-kiosk';
import StationTile from '../../renderer/src/console/StationTile.vue';
import { useKioskStore } from '../../renderer/src/stores/kiosk';
import type { KioskApi } from '../../electron/contract/api';

let wrapper: VueWrapper | null = null;
let pinia: Pinia;

beforeEach(() => {
  window.history.replaceState(null, '', '/console/');
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  delete (window as { kiosk?: KioskApi }).kiosk;
  window.history.replaceState(null, '', '/');
  vi.useRealTimers();
});

async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !cond(); i++) {
    await flushPromises();
    await new Promise((r) => setTimeout(r, 10));
  }
  if (!cond()) throw new Error(`the console did not show ${what}`);
}

/** The console page of a classroom whose window.kiosk is `api`. */
async function mountConsole(api = new FakeConsoleKiosk()): Promise<{ w: VueWrapper; api: FakeConsoleKiosk }> {
  (window as { kiosk?: KioskApi }).kiosk = api;
  pinia = createPinia();
  wrapper = mount(App, { global: { plugins: [pinia, createKioskI18n()] }, attachTo: document.body });
  openConsole(pinia);
  await until('its grid', () => wrapper!.findAll('[data-station]').length === api.console.view.stations.length);
  return { w: wrapper, api };
}

const tile = (w: VueWrapper, n: number) => w.find(`[data-station-grid] [data-station="${n}"]`);
const fact = (w: VueWrapper, n: number, name: string) => tile(w, n).find(`[data-fact="${name}"]`).text();

function button(w: VueWrapper, action: string): DOMWrapper<Element> {
  return w.find(`[data-action="${action}"]`);
}

async function click(el: DOMWrapper<Element>): Promise<void> {
  await el.trigger('click');
  await flushPromises();
}

describe('the grid', () => {
  it('is the console’s page at /console/, not the kiosk’s', async () => {
    const { w } = await mountConsole();
    expect(w.find('[data-page="console"]').exists()).toBe(true);
    expect(w.find('h1').text()).toBe('講師用コンソール');
    // The kiosk's own screen is not on the page (only inside the tiles).
    expect(w.find('[data-page="console"] > [data-screen]').exists()).toBe(false);
    expect(document.documentElement.lang).toBe('ja');
  });

  it('draws each station’s screen with the kiosk’s real screens, in the station’s language', async () => {
    const { w } = await mountConsole();
    const ja = MESSAGES.ja;
    expect(tile(w, 1).find('[data-screen="top"]').exists()).toBe(true);
    expect(tile(w, 1).text()).toContain(ja.top.heading);
    expect(tile(w, 2).find('[data-screen="other-password"]').exists()).toBe(true);
    expect(tile(w, 3).find('[data-screen="guidance"]').exists()).toBe(true);
    // Station 3's trainee chose English: its screen says so, while the console stays Japanese.
    expect(tile(w, 3).find('[data-screen]').text()).toContain(MESSAGES.en.common.switchLanguage);
    expect(tile(w, 3).find('[data-screen]').text()).not.toContain(MESSAGES.ja.common.switchLanguage);
    expect(tile(w, 4).find('[data-screen="done"]').exists()).toBe(true);
    // Inert and hidden from assistive technology: the tile's buttons are not the console's.
    const frame = tile(w, 1).find('[data-station-screen]');
    expect(frame.attributes('aria-hidden')).toBe('true');
    expect(frame.attributes()).toHaveProperty('inert');
  });

  it('shows each station’s number, scenario, step, time, wrong tries, help taps, outcome and card', async () => {
    const { w } = await mountConsole();
    expect(tile(w, 1).attributes('aria-label')).toBe('端末 1');
    expect(tile(w, 1).find('.n').text()).toBe('1');
    expect(fact(w, 1, 'scenario')).toBe('自由練習');
    expect(fact(w, 1, 'step')).toBe('トップメニュー');
    expect(fact(w, 1, 'outcome')).toBe('自由練習');
    expect(fact(w, 1, 'card')).toBe('カードなし');

    expect(fact(w, 2, 'scenario')).toBe('署名用パスワードの再設定');
    expect(fact(w, 2, 'step')).toBe('もう一方のパスワード入力');
    // Started 1 h 2 min 5 s before the host's now, still running.
    expect(fact(w, 2, 'elapsed')).toMatch(/^1:02:0[5-7]$/);
    expect(fact(w, 2, 'wrong-tries')).toBe('誤り 2回');
    expect(fact(w, 2, 'help-taps')).toBe('ヘルプ 1回');
    expect(fact(w, 2, 'outcome')).toBe('実施中');
    expect(fact(w, 2, 'card')).toBe('カード: adult');

    // Ended 5 s before now, 60 s after it started: the time stands still.
    expect(fact(w, 3, 'elapsed')).toBe('1:00');
    expect(fact(w, 3, 'outcome')).toBe('失敗');
    expect(fact(w, 3, 'step')).toBe('案内');
    expect(fact(w, 4, 'outcome')).toBe('成功');
    expect(fact(w, 4, 'elapsed')).toBe('3:00');
    expect(tile(w, 1).find('[data-fact="paused"]').exists()).toBe(false);
  });

  it('follows the class as the host answers it: a new screen, a pause', async () => {
    const { w, api } = await mountConsole();
    const gets = api.console.gets;
    api.console.show(1, { id: 'admin-menu', items: [{ item: 'certificates', enabled: false }, { item: 'my-number-card', enabled: true }] });
    await until('station 1 on the admin menu', () => tile(w, 1).find('[data-screen="admin-menu"]').exists());
    expect(fact(w, 1, 'step')).toBe('行政サービスメニュー');
    expect(api.console.gets).toBeGreaterThan(gets);
  });

  it('gives an unchanged station’s tile the very same props across polls, so it is not drawn again', async () => {
    const { w, api } = await mountConsole();
    const station = (n: number) => w.findAllComponents(StationTile).find((c) => c.props('station').n === n)!.props('station');
    const [one, four] = [station(1), station(4)];
    const drawing = tile(w, 4).find('[data-screen]').element;
    const gets = api.console.gets;
    api.console.show(1, TOP_SCREEN, { language: 'en' });
    await until('two more polls', () => api.console.gets >= gets + 2);
    expect(station(4)).toBe(four);
    expect(tile(w, 4).find('[data-screen]').element).toBe(drawing);
    // Station 1's screen changed (a new snapshot): its tile got the new one.
    expect(station(1)).not.toBe(one);
    expect(tile(w, 1).text()).toContain(MESSAGES.en.top.heading);
  });

  it('ticks the elapsed time of a running exercise by the host’s clock', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(CLASS_NOW);
    const api = new FakeConsoleKiosk();
    // The host's clock runs 30 s behind this machine's: elapsed times go by the host's.
    api.console.clock = () => Date.now() - 30_000;
    const { w } = await mountConsole(api);
    expect(fact(w, 1, 'elapsed')).toBe('0:35');
    vi.setSystemTime(CLASS_NOW + 9_000);
    vi.advanceTimersByTime(1000);
    await flushPromises();
    // 10 s later: 0:35 + 10 s, between two answers (the local clock runs it on) and after one.
    expect(fact(w, 1, 'elapsed')).toBe('0:45');
    await until('another answer', () => api.console.gets > 2);
    expect(fact(w, 1, 'elapsed')).toBe('0:45');
    expect(fact(w, 3, 'elapsed')).toBe('1:00');
  });

  it('shows a station that has no screen yet', async () => {
    const api = new FakeConsoleKiosk();
    api.console.view = { ...api.console.view, stations: api.console.view.stations.map((s) => (s.n === 4 ? { ...s, snapshot: null } : s)) };
    const { w } = await mountConsole(api);
    expect(fact(w, 4, 'step')).toBe('画面はまだありません');
    expect(tile(w, 4).find('[data-screen]').exists()).toBe(false);
  });
});

describe('a tile never touches a station', () => {
  it('a click on a screen button inside a tile sends no intent anywhere and only selects the tile', async () => {
    const { w, api } = await mountConsole();
    const sendSpy = vi.spyOn(api, 'send');
    await click(tile(w, 1).find('[data-service="admin"]'));
    await click(tile(w, 2).find('.k-button, button'));
    expect(sendSpy).not.toHaveBeenCalled();
    expect(api.sent).toEqual([]);
    expect(api.console.acts).toEqual([]);
    expect(tile(w, 1).attributes('aria-checked')).toBe('true');
    expect(tile(w, 1).find('[data-screen="top"]').exists()).toBe(true);
  });
});

describe('acting on a selection', () => {
  it('selecting two tiles and pressing 一時停止 pauses those two', async () => {
    const { w, api } = await mountConsole();
    expect(button(w, 'pause').attributes()).toHaveProperty('disabled');
    await click(tile(w, 3));
    await click(tile(w, 1));
    expect(w.find('[data-testid="selected-count"]').text()).toBe('2台を選択中');
    await click(button(w, 'pause'));
    expect(api.console.acts).toEqual([{ stations: [1, 3], action: { type: 'pause' } }]);
    expect(fact(w, 1, 'paused')).toBe('一時停止中');
    expect(fact(w, 3, 'paused')).toBe('一時停止中');
    expect(tile(w, 2).find('[data-fact="paused"]').exists()).toBe(false);
    await click(button(w, 'resume'));
    expect(api.console.acts.at(-1)).toEqual({ stations: [1, 3], action: { type: 'resume' } });
    expect(tile(w, 1).find('[data-fact="paused"]').exists()).toBe(false);
  });

  it('a tile is a checkbox a keyboard can toggle, and all / none select the class', async () => {
    const { w } = await mountConsole();
    await tile(w, 2).trigger('keydown', { key: ' ' });
    expect(tile(w, 2).attributes('aria-checked')).toBe('true');
    await tile(w, 2).trigger('keydown', { key: 'Enter' });
    expect(tile(w, 2).attributes('aria-checked')).toBe('false');
    await click(button(w, 'select-all'));
    expect(w.findAll('[data-station-grid] [aria-checked="true"]')).toHaveLength(4);
    await click(button(w, 'select-none'));
    expect(w.findAll('[data-station-grid] [aria-checked="true"]')).toHaveLength(0);
  });

  it('assigns a scenario from the class’s list', async () => {
    const { w, api } = await mountConsole();
    await click(tile(w, 1));
    const options = w.findAll('[data-field="scenario"] option').map((o) => o.text());
    expect(options).toEqual(['シナリオを選んでください', '署名用パスワードの再設定', '暗証番号がロックされたカード']);
    expect(button(w, 'assign-scenario').attributes()).toHaveProperty('disabled');
    await w.find('[data-field="scenario"]').setValue('auth-locked');
    await click(button(w, 'assign-scenario'));
    expect(api.console.acts).toEqual([{ stations: [1], action: { type: 'assign-scenario', scenario: 'auth-locked' } }]);
    expect(fact(w, 1, 'scenario')).toBe('暗証番号がロックされたカード');
    expect(fact(w, 1, 'outcome')).toBe('実施中');
  });

  it('offers the cards the selected stations hold, places one and takes it off', async () => {
    const { w, api } = await mountConsole();
    await click(tile(w, 2));
    await click(tile(w, 3));
    const cards = () => w.findAll('[data-field="card"] option').map((o) => o.text()).slice(1);
    expect(cards()).toEqual(['adult', 'auth-locked', 'expired', 'sign-locked']);
    await w.find('[data-field="card"]').setValue('expired');
    await click(button(w, 'place-card'));
    expect(api.console.acts).toEqual([{ stations: [2, 3], action: { type: 'place-card', name: 'expired' } }]);
    expect(fact(w, 3, 'card')).toBe('カード: expired');
    await click(button(w, 'remove-card'));
    expect(api.console.acts.at(-1)).toEqual({ stations: [2, 3], action: { type: 'remove-card' } });
    expect(fact(w, 2, 'card')).toBe('カードなし');
    await click(tile(w, 3));
    expect(cards()).toEqual(['adult', 'sign-locked']);
  });

  it('sets the clock to a picked Japan time as an offset from the host’s now, and back to real time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(CLASS_NOW);
    const { w, api } = await mountConsole();
    await click(button(w, 'select-all'));
    // CLASS_NOW is 10:00 in Japan: 22:59 the same day is 12 h 59 min on.
    await w.find('[data-field="clock"]').setValue('2026-11-25T22:59');
    await click(button(w, 'set-clock'));
    const offset = api.console.acts[0]?.action;
    expect(offset?.type).toBe('set-clock');
    expect(offset && 'offsetMs' in offset ? Math.abs(offset.offsetMs - (12 * 60 + 59) * 60_000) : Infinity).toBeLessThan(2000);
    await click(button(w, 'real-time'));
    expect(api.console.acts[1]).toEqual({ stations: [1, 2, 3, 4], action: { type: 'set-clock', offsetMs: 0 } });
    await w.find('[data-field="clock"]').setValue('');
    await click(button(w, 'set-clock'));
    expect(w.find('[role="alert"]').text()).toBe('日付と時刻を正しく指定してください。');
    expect(api.console.acts).toHaveLength(2);
  });

  it('resets to the top screen and ends the exercise', async () => {
    const { w, api } = await mountConsole();
    await click(tile(w, 2));
    await click(button(w, 'reset'));
    expect(tile(w, 2).find('[data-screen="top"]').exists()).toBe(true);
    await click(button(w, 'end'));
    expect(api.console.acts.map((a) => a.action.type)).toEqual(['reset', 'end']);
    expect(fact(w, 2, 'outcome')).toBe('終了');
  });

  it('says which stations an action failed on, and why', async () => {
    const { w, api } = await mountConsole();
    await click(button(w, 'select-all'));
    api.console.failNext = { problem: 'no-such-card', stations: [2, 4] };
    await w.find('[data-field="card"]').setValue('adult');
    await click(button(w, 'place-card'));
    expect(w.find('[data-testid="action-failure"]').text()).toBe('端末 2, 4 で失敗しました: その端末にそのカードはありません');
    expect(fact(w, 1, 'card')).toBe('カード: adult');
    expect(fact(w, 4, 'card')).toBe('カードなし');
  });
});

describe('the class summary', () => {
  it('lists who finished, in what time, with their wrong tries, help taps and outcome', async () => {
    const { w } = await mountConsole();
    await click(w.find('[data-view="summary"]'));
    expect(w.find('[data-testid="finished-count"]').text()).toBe('修了 2 / 4台');
    const row = (n: number) => w.find(`[data-class-summary] tr[data-station="${n}"]`);
    expect(row(3).text()).toContain('暗証番号がロックされたカード');
    expect(row(3).find('[data-fact="finished"]').text()).toBe('済');
    expect(row(3).find('[data-fact="elapsed"]').text()).toBe('1:00');
    expect(row(3).find('[data-fact="wrong-tries"]').text()).toBe('3');
    expect(row(3).find('[data-outcome]').text()).toBe('失敗');
    expect(row(2).find('[data-fact="finished"]').text()).toBe('未');
    expect(row(2).find('[data-fact="help-taps"]').text()).toBe('1');
  });

  it('downloads the host’s CSV as class-summary.csv, with a byte order mark for spreadsheets', async () => {
    const { w, api } = await mountConsole();
    const blobs: Blob[] = [];
    const create = vi.fn((b: Blob) => (blobs.push(b), 'blob:class-summary'));
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: create, revokeObjectURL: vi.fn() }));
    let downloaded: { href: string; download: string } | null = null;
    const clickSpy = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloaded = { href: this.href, download: this.download };
    });
    await click(w.find('[data-view="summary"]'));
    await click(button(w, 'csv'));
    clickSpy.mockRestore();
    vi.unstubAllGlobals();
    expect(api.console.csvCalls).toBe(1);
    expect(downloaded).toEqual({ href: 'blob:class-summary', download: 'class-summary.csv' });
    expect(blobs[0]?.type).toBe('text/csv;charset=utf-8');
    const bytes = new Uint8Array(await blobs[0]!.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3))).toBe(api.console.csv);
  });
});

describe('the console’s language', () => {
  it('switches the console to English and back; each station’s screen keeps its own', async () => {
    const { w } = await mountConsole();
    await click(w.find('.lang'));
    expect(w.find('h1').text()).toBe('Trainer’s console');
    expect(fact(w, 2, 'scenario')).toBe('Reset the signature password');
    expect(fact(w, 2, 'wrong-tries')).toBe('Wrong tries: 2');
    expect(document.documentElement.lang).toBe('en');
    // Station 1's trainee is in Japanese.
    expect(tile(w, 1).text()).toContain(MESSAGES.ja.top.heading);
    await click(w.find('.lang'));
    expect(w.find('h1').text()).toBe('講師用コンソール');
  });
});

describe('a console the host refuses', () => {
  it('without the console’s audience (NOT_ALLOWED): 「講師用トークンが必要です」 and no more asking', async () => {
    const api = new FakeConsoleKiosk();
    api.console.refuse = 'NOT_ALLOWED';
    (window as { kiosk?: KioskApi }).kiosk = api;
    pinia = createPinia();
    wrapper = mount(App, { global: { plugins: [pinia, createKioskI18n()] }, attachTo: document.body });
    openConsole(pinia);
    await until('the refusal', () => wrapper!.find('[data-console-refused]').exists());
    expect(wrapper.find('[data-console-refused]').attributes('data-console-refused')).toBe('token-needed');
    expect(wrapper.find('[data-console-refused] h2').text()).toBe('講師用トークンが必要です');
    expect(wrapper.find('[data-station-grid]').exists()).toBe(false);
    const gets = api.console.gets;
    await new Promise((r) => setTimeout(r, 600));
    expect(api.console.gets).toBe(gets);
    await click(wrapper.find('.lang'));
    expect(wrapper.find('[data-console-refused] h2').text()).toBe('The trainer’s token is needed');
  });

  it('a host without a classroom says so', async () => {
    const api = new FakeKioskApi();
    (window as { kiosk?: KioskApi }).kiosk = api;
    pinia = createPinia();
    wrapper = mount(App, { global: { plugins: [pinia, createKioskI18n()] }, attachTo: document.body });
    openConsole(pinia);
    await until('the refusal', () => wrapper!.find('[data-console-refused]').exists());
    expect(wrapper.find('[data-console-refused]').attributes('data-console-refused')).toBe('no-classroom');
    expect(useConsoleStore(pinia).view).toBeNull();
  });

  it('marks the grid as not current when the host stops answering, and recovers', async () => {
    const { w, api } = await mountConsole();
    const real = api.console.getClass.bind(api.console);
    api.console.getClass = () => Promise.reject(Object.assign(new Error('lost'), { code: 'CLOSED' }));
    await until('the stale mark', () => w.find('.stale').exists());
    expect(w.findAll('[data-station-grid] [data-station]')).toHaveLength(4);
    api.console.getClass = real;
    await until('the mark gone', () => !w.find('.stale').exists());
  });
});

describe('the station page beside it', () => {
  it('a kiosk page is not the console: /s/1/ shows the station’s own screen', async () => {
    window.history.replaceState(null, '', '/s/1/');
    const api = new FakeConsoleKiosk();
    api.show(PIN_ENTRY, { station: { n: 1, paused: false, task: null } });
    pinia = createPinia();
    wrapper = mount(App, { global: { plugins: [pinia, createKioskI18n()] }, attachTo: document.body });
    await useKioskStore(pinia).connect(api);
    await flushPromises();
    expect(wrapper.find('[data-page="console"]').exists()).toBe(false);
    expect(wrapper.find('[data-screen="other-password"]').exists()).toBe(true);
  });
});
