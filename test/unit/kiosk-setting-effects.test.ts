/**
 * The contract's SETTING_EFFECTS table is what the trainer panel tells a trainer ("at once", "from
 * the next citizen"…). This holds the kiosk core to it: for each setting, a change made while a
 * citizen is mid-session shows up exactly when the table says, on the screens the citizen sees.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Intent, ScreenOf } from '../../electron/contract/kiosk';
import { SETTING_EFFECTS } from '../../electron/contract/trainer';
import { MemoryEventRecord } from '../../electron/kiosk/record';
import { KioskCore } from '../../electron/kiosk/session';
import { SettingsStore, simulatedNow } from '../../electron/kiosk/settings';
import type { ResetJournal } from '../../electron/kiosk/ports';
import { FakeCenter, FakeReader, FakeScheduler, flush } from '../fakes/kiosk';

const JST = 9 * 3600_000;
const AT_10 = Date.UTC(2026, 10, 25, 10, 0) - JST;

/** These tests never reach a reset: a journal that must never be written. */
const noJournal: ResetJournal = {
  begin: () => Promise.reject(new Error('no reset in these tests')),
  mark: () => Promise.reject(new Error('no reset in these tests')),
  unsettled: async () => [],
};

const cores: KioskCore[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.stop();
});

async function rig() {
  const settings = new SettingsStore(null, { clock: { mode: 'fixed', at: AT_10 } });
  const scheduler = new FakeScheduler();
  const core = new KioskCore({
    reader: new FakeReader(),
    center: new FakeCenter(() => simulatedNow(settings.get().clock, Date.now())),
    journal: noJournal,
    events: new MemoryEventRecord(),
    settings,
    scheduler,
  });
  cores.push(core);
  await core.start();
  const send = async (intent: Intent) => {
    const r = core.send(intent);
    await flush();
    return r;
  };
  const toCardMenu = async () => {
    await send({ type: 'choose-service', service: 'admin' });
    await send({ type: 'choose-admin-item', item: 'my-number-card' });
  };
  return { core, scheduler, send, toCardMenu, screen: () => core.snapshot().screen };
}

describe('settings take effect when SETTING_EFFECTS says', () => {
  it('the table names every setting a trainer can change', () => {
    expect(Object.keys(SETTING_EFFECTS).sort()).toEqual(['centerKey', 'centerUrl', 'chain', 'clock', 'language', 'maintenance', 'readerName', 'timeouts']);
  });

  it(`chain (${SETTING_EFFECTS.chain}): the card menu on screen offers by the new chain at once`, async () => {
    const r = await rig();
    await r.toCardMenu();
    const offered = () => (r.screen() as ScreenOf<'card-menu'>).options.find((o) => o.option === 'reset-auth')?.offered;
    expect(offered()).toBe(true);
    r.core.updateSettings({ chain: 'lawson' });
    expect(r.core.snapshot().chain).toBe('lawson');
    expect(offered()).toBe(false);
    await r.send({ type: 'choose-card-option', option: 'reset-auth' });
    expect(r.screen()).toMatchObject({ id: 'guidance', reason: 'chain-does-not-offer' });
  });

  it(`clock (${SETTING_EFFECTS.clock}): the snapshot's clock moves, and the next touch is judged by it`, async () => {
    const r = await rig();
    await r.toCardMenu();
    await r.send({ type: 'choose-card-option', option: 'reset-sign' });
    const at2301 = Date.UTC(2026, 10, 25, 23, 1) - JST;
    r.core.updateSettings({ clock: { mode: 'fixed', at: at2301 } });
    expect(r.core.snapshot().clock).toMatchObject({ mode: 'fixed', now: at2301 });
    await r.send({ type: 'agree' });
    expect(r.screen()).toMatchObject({ id: 'guidance', reason: 'outside-hours' });
  });

  it(`maintenance (${SETTING_EFFECTS.maintenance}): a window set mid-session refuses the next step`, async () => {
    const r = await rig();
    await r.toCardMenu();
    await r.send({ type: 'choose-card-option', option: 'reset-sign' });
    r.core.updateSettings({ maintenance: [{ from: AT_10 - 60_000, until: AT_10 + 3600_000 }] });
    await r.send({ type: 'agree' });
    expect(r.screen()).toMatchObject({ id: 'guidance', reason: 'maintenance' });
  });

  it(`timeouts (${SETTING_EFFECTS.timeouts}): a running countdown keeps its length, the next screen gets the new one`, async () => {
    const r = await rig();
    await r.send({ type: 'choose-service', service: 'admin' });
    expect(r.core.snapshot().timeout?.secondsLeft).toBe(60);
    r.core.updateSettings({ timeouts: { inactivitySeconds: 200, warningSeconds: 20, takeCardSeconds: 30 } });
    expect(r.core.snapshot().timeout?.secondsLeft).toBe(60);
    await r.send({ type: 'choose-admin-item', item: 'my-number-card' });
    expect(r.core.snapshot().timeout?.secondsLeft).toBe(200);
  });

  it(`language (${SETTING_EFFECTS.language}): the citizen keeps theirs; the next one starts in the new default`, async () => {
    const r = await rig();
    r.core.updateSettings({ language: 'en' });
    // Nobody at the kiosk: the top menu follows at once.
    expect(r.core.snapshot().language).toBe('en');
    await r.send({ type: 'choose-service', service: 'admin' });
    r.core.updateSettings({ language: 'ja' });
    expect(r.core.snapshot().language).toBe('en');
    await r.send({ type: 'cancel' });
    expect(r.screen().id).toBe('top');
    expect(r.core.snapshot().language).toBe('ja');
  });
});
