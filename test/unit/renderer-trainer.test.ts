// @vitest-environment happy-dom
/**
 * The trainer's settings panel, as a trainer sees and touches it in the trainer drawer: reachable
 * only where window.kiosk carries the trainer's tools; each touch sends the settings change the
 * core is to check, and the panel says when it takes effect (or why the core refused it). The
 * clock presets are pinned to a known real time so the exact change can be read back.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils';
import { createPinia } from 'pinia';
import App from '../../renderer/src/App.vue';
import { createKioskI18n } from '../../renderer/src/i18n';
import { useKioskStore } from '../../renderer/src/stores/kiosk';
import { FakeKioskApi, snapshotOf, TOP_SCREEN } from '../fakes/renderer-kiosk';
import { FakeTrainerKiosk } from '../fakes/renderer-app';

const JST = 9 * 3600_000;
/** The machine's real time in these tests (the fake snapshot's kiosk clock reads 2026-11-25 10:00 JST). */
const REAL_NOW = Date.UTC(2026, 10, 25, 3, 0);
const DAY_MS = 24 * 3600_000;

let wrapper: VueWrapper | null = null;
beforeEach(() => {
  // Only Date: timers and promises stay real.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(REAL_NOW);
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  vi.useRealTimers();
});

async function mountWith(api: FakeKioskApi): Promise<VueWrapper> {
  const pinia = createPinia();
  wrapper = mount(App, { global: { plugins: [pinia, createKioskI18n()] }, attachTo: document.body });
  await useKioskStore(pinia).connect(api);
  await flushPromises();
  return wrapper;
}

function button(w: VueWrapper, name: string, within = '#card-tray'): DOMWrapper<Element> {
  const found = w.find(within).findAll('button').filter((b) => b.text().replace(/\s+/g, ' ').trim() === name);
  if (found.length !== 1) throw new Error(`expected one button "${name}", found ${found.length}`);
  return found[0] as DOMWrapper<Element>;
}

async function press(w: VueWrapper, name: string, within = '#card-tray'): Promise<void> {
  await button(w, name, within).trigger('click');
  await flushPromises();
}

/** Opens the drawer and its 設定 view (dynamically loaded: waits for it). */
async function openSettings(w: VueWrapper): Promise<DOMWrapper<Element>> {
  await w.findAll('button').find((b) => b.text() === 'カード置き場')!.trigger('click');
  await flushPromises();
  await press(w, '設定');
  await until(() => w.find('[data-settings-panel] [data-setting="chain"]').exists());
  return w.find('[data-settings-panel]');
}

/** Waits (on real timers: the faked Date must not move) until `cond` holds. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) {
    await flushPromises();
    await new Promise((r) => setTimeout(r, 10));
  }
  if (!cond()) throw new Error('the panel did not show what was expected');
}

function notice(w: VueWrapper): string {
  return w.find('[data-testid="settings-notice"]').text();
}

describe('the settings panel is a trainer tool', () => {
  it('is not there for a citizen: without window.kiosk.trainer there is no drawer, no panel', async () => {
    const w = await mountWith(new FakeKioskApi());
    expect(w.find('[data-trainer]').exists()).toBe(false);
    expect(w.text()).not.toContain('設定');
  });

  it('opens from the trainer drawer with the core’s current settings', async () => {
    const api = new FakeTrainerKiosk(snapshotOf(TOP_SCREEN));
    api.settings = { ...api.settings, chain: 'lawson' };
    const w = await mountWith(api);
    const panel = await openSettings(w);
    expect(w.find('#card-tray h2').text()).toBe('シミュレータ:端末の設定');
    expect(panel.find('[data-chain="lawson"]').attributes('aria-pressed')).toBe('true');
    expect(panel.find('[data-chain="seven-eleven"]').attributes('aria-pressed')).toBe('false');
    expect(panel.find('[data-chain="seven-eleven"]').text()).toContain('署名用・利用者証明用');
    expect(panel.find('[data-chain="lawson"]').text()).toContain('署名用のみ');
    expect(panel.find('[data-testid="kiosk-clock"]').text()).toContain('実際の時刻');
    // The 24h preset needs the center's clock: without the app API the panel says it cannot move it.
    expect(panel.find('[data-testid="center-clock"]').exists()).toBe(false);
  });
});

describe('changes go to the core, and the panel says when they take effect', () => {
  it('store chain: at once', async () => {
    const api = new FakeTrainerKiosk();
    const w = await mountWith(api);
    const panel = await openSettings(w);
    await panel.find('[data-chain="familymart"]').trigger('click');
    await flushPromises();
    expect(api.patches).toEqual([{ chain: 'familymart' }]);
    expect(notice(w)).toBe('変更しました(すぐに有効)。');
    expect(panel.find('[data-chain="familymart"]').attributes('aria-pressed')).toBe('true');
    expect(panel.find('[data-setting="chain"] h3').text()).toContain('すぐに有効');
  });

  it('first language: from the next citizen', async () => {
    const api = new FakeTrainerKiosk();
    const w = await mountWith(api);
    await openSettings(w);
    await press(w, 'English');
    expect(api.patches).toEqual([{ language: 'en' }]);
    expect(notice(w)).toBe('変更しました(次の利用者から有効(利用中でなければすぐ))。');
  });

  it('timeouts: saved together; a refusal by the core says why and keeps the old values', async () => {
    const api = new FakeTrainerKiosk();
    const w = await mountWith(api);
    const panel = await openSettings(w);
    const [inactivity, warning] = panel.findAll('[data-setting="timeouts"] input');
    await inactivity!.setValue('30');
    await warning!.setValue('40');
    api.refuseWith = 'warning-longer-than-inactivity';
    await press(w, 'タイムアウトを保存');
    expect(api.patches).toEqual([{ timeouts: { inactivitySeconds: 30, warningSeconds: 40, takeCardSeconds: 30 } }]);
    expect(notice(w)).toBe('「残り時間を大きく表示」は「操作待ち」より短くしてください。');
    expect(api.settings.timeouts.inactivitySeconds).toBe(60);
    await warning!.setValue('10');
    await press(w, 'タイムアウトを保存');
    expect(api.settings.timeouts).toEqual({ inactivitySeconds: 30, warningSeconds: 10, takeCardSeconds: 30 });
    expect(notice(w)).toBe('変更しました(次の画面・操作から有効)。');
  });

  it('maintenance: "next hour" from the kiosk’s clock, added as a window; removed again', async () => {
    const api = new FakeTrainerKiosk();
    const w = await mountWith(api);
    await openSettings(w);
    await press(w, '今から1時間');
    await press(w, '追加');
    // The kiosk's clock reads 10:00 JST (to the minute, as the field shows it).
    const at10 = Date.UTC(2026, 10, 25, 10, 0) - JST;
    expect(api.patches).toEqual([{ maintenance: [{ from: at10, until: at10 + 3600_000 }] }]);
    expect(w.find('[data-window]').text()).toContain('11月25日(水) 10:00 〜 11月25日(水) 11:00');
    await press(w, '削除');
    expect(api.patches.at(-1)).toEqual({ maintenance: [] });
    expect(w.find('[data-window]').exists()).toBe(false);
  });

  it('maintenance: an end before the start is caught in the panel', async () => {
    const api = new FakeTrainerKiosk();
    const w = await mountWith(api);
    const panel = await openSettings(w);
    await panel.find('[data-testid="maintenance-from"]').setValue('2026/11/25 12:00');
    await panel.find('[data-testid="maintenance-until"]').setValue('2026/11/25 11:00');
    await press(w, '追加');
    expect(api.patches).toEqual([]);
    expect(panel.find('[data-setting="maintenance"] [role="alert"]').text()).toBe('メンテナンスの終了は、開始より後にしてください。');
  });
});

describe('clock presets', () => {
  it('22:59 today: a running clock a minute before the 23:00 cut-off, on the kiosk’s day', async () => {
    const api = new FakeTrainerKiosk();
    const w = await mountWith(api);
    const panel = await openSettings(w);
    await panel.find('[data-preset="before-closing"]').trigger('click');
    await flushPromises();
    const at2259 = Date.UTC(2026, 10, 25, 22, 59) - JST;
    expect(api.patches).toEqual([{ clock: { mode: 'offset', offsetMs: at2259 - REAL_NOW } }]);
    expect(notice(w)).toBe('変更しました(すぐに有効)。');
  });

  it('06:29 today', async () => {
    const api = new FakeTrainerKiosk();
    const w = await mountWith(api);
    const panel = await openSettings(w);
    await panel.find('[data-preset="before-opening"]').trigger('click');
    await flushPromises();
    expect(api.patches).toEqual([{ clock: { mode: 'offset', offsetMs: Date.UTC(2026, 10, 25, 6, 29) - JST - REAL_NOW } }]);
  });

  it('+24 h moves the kiosk’s clock and the reservation center’s (a booking expires by the center’s); real time resets both', async () => {
    const api = new FakeTrainerKiosk().withApp();
    api.settings = { ...api.settings, clock: { mode: 'offset', offsetMs: 3600_000 } };
    const w = await mountWith(api);
    const panel = await openSettings(w);
    await until(() => panel.find('[data-testid="center-clock"]').exists());
    expect(panel.find('[data-testid="center-clock"]').text()).toContain('(±0:00)');
    await panel.find('[data-preset="plus-day"]').trigger('click');
    await flushPromises();
    expect(api.patches).toEqual([{ clock: { mode: 'offset', offsetMs: 3600_000 + DAY_MS } }]);
    expect(api.app?.centerPatches).toEqual([{ offsetMs: DAY_MS }]);
    expect(panel.find('[data-testid="center-clock"]').text()).toContain('(+24:00)');
    await panel.find('[data-preset="real"]').trigger('click');
    await flushPromises();
    expect(api.patches.at(-1)).toEqual({ clock: { mode: 'system' } });
    expect(api.app?.centerPatches.at(-1)).toEqual({ offsetMs: 0 });
  });

  it('a Japan time typed by the trainer, running or frozen', async () => {
    const api = new FakeTrainerKiosk();
    const w = await mountWith(api);
    const panel = await openSettings(w);
    await panel.find('[data-testid="custom-time"]').setValue('2026/12/24 23:00');
    await press(w, 'この日時で止める');
    await press(w, 'この日時から進める');
    const at = Date.UTC(2026, 11, 24, 23, 0) - JST;
    expect(api.patches).toEqual([{ clock: { mode: 'fixed', at } }, { clock: { mode: 'offset', offsetMs: at - REAL_NOW } }]);
  });

  it('the center’s maintenance can be set along with the kiosk’s', async () => {
    const api = new FakeTrainerKiosk().withApp();
    const w = await mountWith(api);
    const panel = await openSettings(w);
    await until(() => panel.find('[data-setting="maintenance"] input[type="checkbox"]').exists());
    await panel.find('[data-setting="maintenance"] input[type="checkbox"]').setValue(true);
    await press(w, '今から1時間');
    await press(w, '追加');
    const at10 = Date.UTC(2026, 10, 25, 10, 0) - JST;
    expect(api.app?.centerPatches).toEqual([{ maintenance: [{ from: at10, until: at10 + 3600_000 }] }]);
    expect(panel.find('[data-center-window]').exists()).toBe(true);
  });
});
