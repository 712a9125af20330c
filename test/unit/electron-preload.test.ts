/**
 * The preload, with `electron` mocked: the page gets exactly `window.kiosk` — frozen, forwarding
 * over the contract's channels, never the raw ipcRenderer or an IPC event — and the trainer's
 * tools only when the main process passed the argument for them.
 */
import { describe, expect, it, vi } from 'vitest';
import type { KioskApi } from '../../electron/contract/api';
import type { Snapshot } from '../../electron/contract/kiosk';

vi.mock('electron', () => import('../fakes/electron'));

const fake = await import('../fakes/electron');
const { KIOSK_IPC } = await import('../../electron/contract/methods');
const { TRAINER_API_ARG } = await import('../../electron/preload/args');

let run = 0;

/**
 * Runs the preload afresh (it acts when imported; a query makes each import a new module instance)
 * with `argv` added; returns what it exposed.
 */
async function loadPreload(argv: string[]): Promise<Map<string, unknown>> {
  fake.resetElectronFake();
  const saved = process.argv;
  process.argv = [...saved, ...argv];
  try {
    await import(/* @vite-ignore */ `../../electron/preload/index?run=${++run}`);
  } finally {
    process.argv = saved;
  }
  return fake.contextBridge.exposed;
}

describe('preload', () => {
  it('exposes window.kiosk and nothing else; no ipcRenderer, no Electron object', async () => {
    const exposed = await loadPreload([]);
    expect([...exposed.keys()]).toEqual(['kiosk']);
    const kiosk = exposed.get('kiosk') as KioskApi;
    expect(Object.isFrozen(kiosk)).toBe(true);
    expect(Object.keys(kiosk).sort()).toEqual(['getSettings', 'getSnapshot', 'host', 'onSnapshot', 'send', 'updateSettings']);
    for (const v of Object.values(kiosk)) expect(v).not.toBe(fake.ipcRenderer);
    expect(kiosk.host).toBe('electron');
  });

  it('forwards each method on its contract channel', async () => {
    const kiosk = (await loadPreload([TRAINER_API_ARG])).get('kiosk') as KioskApi;
    await kiosk.getSnapshot();
    await kiosk.send({ type: 'agree' });
    await kiosk.updateSettings({ chain: 'lawson' });
    await kiosk.trainer?.placeCard('adult');
    expect(fake.ipcRenderer.invoked).toEqual([
      { channel: KIOSK_IPC.getSnapshot, args: [] },
      { channel: KIOSK_IPC.send, args: [{ type: 'agree' }] },
      { channel: KIOSK_IPC.updateSettings, args: [{ chain: 'lawson' }] },
      { channel: KIOSK_IPC.placeCard, args: ['adult'] },
    ]);
  });

  it('the trainer API appears only with the argument from the main process', async () => {
    expect(((await loadPreload([])).get('kiosk') as KioskApi).trainer).toBeUndefined();
    const trainer = ((await loadPreload([TRAINER_API_ARG])).get('kiosk') as KioskApi).trainer;
    expect(trainer && Object.isFrozen(trainer)).toBe(true);
  });

  it('a snapshot listener gets the snapshot only, never the IPC event, and can unsubscribe', async () => {
    const kiosk = (await loadPreload([])).get('kiosk') as KioskApi;
    const got: unknown[][] = [];
    const off = kiosk.onSnapshot((...args: unknown[]) => got.push(args));
    const snap = { seq: 7 } as unknown as Snapshot;
    fake.ipcRenderer.emit(KIOSK_IPC.snapshot, { sender: 'the event' }, snap);
    off();
    fake.ipcRenderer.emit(KIOSK_IPC.snapshot, { sender: 'the event' }, snap);
    expect(got).toEqual([[snap]]);
  });
});
