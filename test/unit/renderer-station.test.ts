// @vitest-environment happy-dom
/**
 * A classroom station's page, as the trainee sees it: the kiosk's screens plus the station's part
 * of the snapshot — 「講師の説明中です」 over everything while the trainer pauses the class, the task
 * card the trainee opens and closes (in the kiosk's language), and the card tray without the kiosk's
 * settings (a station's page has no trainer's audience). A lone kiosk shows none of it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia } from 'pinia';
import App from '../../renderer/src/App.vue';
import { createKioskI18n } from '../../renderer/src/i18n';
import { useKioskStore } from '../../renderer/src/stores/kiosk';
import { FakeKioskApi, snapshotOf, TOP_SCREEN } from '../fakes/renderer-kiosk';
import type { Snapshot } from '../../electron/contract/kiosk';

let wrapper: VueWrapper | null = null;
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

const TASK = { ja: '署名用電子証明書のパスワードを再設定してください。', en: 'Reset the signature certificate password.' };

async function mountStation(station: Snapshot['station'], opts: { trainer?: boolean; language?: 'ja' | 'en' } = {}): Promise<{ w: VueWrapper; api: FakeKioskApi }> {
  const api = new FakeKioskApi(snapshotOf(TOP_SCREEN, { station, language: opts.language ?? 'ja' }));
  if (opts.trainer === true) api.withTrainer();
  const pinia = createPinia();
  wrapper = mount(App, { global: { plugins: [pinia, createKioskI18n()] }, attachTo: document.body });
  await useKioskStore(pinia).connect(api);
  await flushPromises();
  return { w: wrapper, api };
}

describe('the trainer’s pause', () => {
  it('covers the screen with 「講師の説明中です」 while paused, and is gone when resumed', async () => {
    const { w, api } = await mountStation({ n: 3, paused: true, task: null });
    const overlay = w.find('[data-station-paused]');
    expect(overlay.exists()).toBe(true);
    expect(overlay.attributes('role')).toBe('alertdialog');
    expect(overlay.find('h2').text()).toBe('講師の説明中です');
    expect(overlay.text()).toContain('端末 3');
    // The screen is still there underneath (the trainee carries on from it).
    expect(w.find('[data-screen="top"]').exists()).toBe(true);
    api.update({ station: { n: 3, paused: false, task: null } });
    await flushPromises();
    expect(w.find('[data-station-paused]').exists()).toBe(false);
  });

  it('comes when the station sends its core’s snapshot again with only the pause changed (same number)', async () => {
    const { w, api } = await mountStation({ n: 3, paused: false, task: null });
    const seq = api.current.seq;
    api.show(api.current.screen, { ...api.current, seq, station: { n: 3, paused: true, task: null } });
    await flushPromises();
    expect(w.find('[data-station-paused]').exists()).toBe(true);
    api.show(api.current.screen, { ...api.current, seq, station: { n: 3, paused: false, task: TASK } });
    await flushPromises();
    expect(w.find('[data-station-paused]').exists()).toBe(false);
    expect(w.find('#station-task').text()).toContain(TASK.ja);
    // The very same snapshot again is a repeat, still ignored.
    api.show(api.current.screen, { ...api.current, seq });
    await flushPromises();
    expect(w.find('#station-task').exists()).toBe(true);
  });

  it('speaks the kiosk’s language', async () => {
    const { w } = await mountStation({ n: 1, paused: true, task: null }, { language: 'en' });
    expect(w.find('[data-station-paused] h2').text()).toBe('The trainer is explaining');
  });
});

describe('the task card', () => {
  it('shows the task in the kiosk’s language, and the trainee can close and reopen it', async () => {
    const { w, api } = await mountStation({ n: 2, paused: false, task: TASK });
    const card = () => w.find('[data-station-task]');
    expect(card().find('#station-task').text()).toContain(TASK.ja);
    expect(card().find('h2').text()).toBe('端末 2 の課題');
    await card().find('.close').trigger('click');
    expect(card().find('#station-task').exists()).toBe(false);
    expect(card().find('.tab').attributes('aria-expanded')).toBe('false');
    await card().find('.tab').trigger('click');
    expect(card().find('#station-task').exists()).toBe(true);
    api.update({ language: 'en' });
    await flushPromises();
    expect(card().find('#station-task').text()).toContain(TASK.en);
  });

  it('opens again by itself when the trainer gives a new task', async () => {
    const { w, api } = await mountStation({ n: 2, paused: false, task: TASK });
    await w.find('[data-station-task] .close').trigger('click');
    api.update({ station: { n: 2, paused: false, task: { ja: 'カードを置かずに進めてみましょう。', en: 'Try going on without the card.' } } });
    await flushPromises();
    expect(w.find('#station-task').text()).toContain('カードを置かずに進めてみましょう。');
  });

  it('is not there without a task', async () => {
    const { w } = await mountStation({ n: 2, paused: false, task: null });
    expect(w.find('[data-station-task]').exists()).toBe(false);
    expect(w.find('[data-station-paused]').exists()).toBe(false);
  });
});

describe('the card tray on a station', () => {
  it('offers the station’s cards but not the kiosk’s settings', async () => {
    const { w } = await mountStation({ n: 1, paused: false, task: null }, { trainer: true });
    await w.find('.tray .tab').trigger('click');
    await flushPromises();
    const tools = w.findAll('#card-tray .views .tool').map((b) => b.text());
    expect(tools).toContain('カード');
    expect(tools).not.toContain('設定');
    expect(w.findAll('#card-tray [data-card]')).toHaveLength(2);
  });

  it('a lone kiosk with the trainer’s tools keeps its settings, and shows no station part', async () => {
    const api = new FakeKioskApi().withTrainer();
    const pinia = createPinia();
    wrapper = mount(App, { global: { plugins: [pinia, createKioskI18n()] }, attachTo: document.body });
    await useKioskStore(pinia).connect(api);
    await flushPromises();
    await wrapper.find('.tray .tab').trigger('click');
    await flushPromises();
    expect(wrapper.findAll('#card-tray .views .tool').map((b) => b.text())).toContain('設定');
    expect(wrapper.find('[data-station-paused]').exists()).toBe(false);
    expect(wrapper.find('[data-station-task]').exists()).toBe(false);
  });
});
