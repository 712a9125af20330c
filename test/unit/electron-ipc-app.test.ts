/**
 * window.kiosk.app over Electron IPC, with `electron` mocked: the smartphone-app simulator is a
 * trainer tool — the preload exposes it only with the trainer API, main answers it only in a
 * window that has the trainer API, every argument is checked against the contract before the
 * simulator sees it, and no refusal repeats a value (an app intent may carry a password).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { KioskApi } from '../../electron/contract/api';
import type { AppResult, AppView } from '../../electron/contract/app';
import type { SendResult, Snapshot } from '../../electron/contract/kiosk';
import type { CenterDeskResult, SettingsResult } from '../../electron/contract/trainer';
import type { AppBackend, KioskBackend } from '../../electron/contract/backends';

vi.mock('electron', () => import('../fakes/electron'));

const fake = await import('../fakes/electron');
const { KioskIpc } = await import('../../electron/main/kiosk-ipc');
const { readShellConfig } = await import('../../electron/main/shell-config');
const { KIOSK_IPC } = await import('../../electron/contract/methods');
const { TRAINER_API_ARG } = await import('../../electron/preload/args');

const production = readShellConfig({ argv: [], env: {}, isPackaged: true });
const VIEW: AppView = { state: { step: 'idle' }, busy: false, reader: 'Virtual PCD 00 01' };

const core: KioskBackend = {
  snapshot: () => ({ seq: 1 }) as unknown as Snapshot,
  send: () => ({ accepted: true }) satisfies SendResult,
  onSnapshot: () => () => {},
  getSettings: () => ({}) as never,
  updateSettings: () => ({ ok: false, problem: 'center-url-invalid' }) as SettingsResult,
};

function recordingApp() {
  const calls: string[] = [];
  const app: AppBackend = {
    view: () => (calls.push('view'), VIEW),
    send: async (intent) => (calls.push(`send ${(intent as { type: string }).type}`), { ok: true, view: VIEW }) satisfies AppResult,
    getCenter: async () => (calls.push('getCenter'), { ok: false, problem: 'unavailable' }) satisfies CenterDeskResult,
    updateCenter: async () => (calls.push('updateCenter'), { ok: false, problem: 'unavailable' }) satisfies CenterDeskResult,
  };
  return { app, calls };
}

function windowAt(url = 'app://kiosk/index.html') {
  const win = new fake.BrowserWindow();
  win.webContents.mainFrame.url = url;
  return win;
}

beforeEach(() => fake.resetElectronFake());

describe('the app simulator over IPC', () => {
  it('production: the citizen’s window cannot reach it; the trainer window can', async () => {
    const { app, calls } = recordingApp();
    const ipc = new KioskIpc({ core, app, cfg: production });
    const kiosk = windowAt();
    const trainer = windowAt();
    ipc.attach(kiosk as never, 'kiosk');
    ipc.attach(trainer as never, 'trainer');
    for (const [channel, args] of [
      [KIOSK_IPC.getAppState, []],
      [KIOSK_IPC.sendApp, [{ type: 'start', card: 'adult' }]],
      [KIOSK_IPC.getCenter, []],
      [KIOSK_IPC.updateCenter, [{ offsetMs: 86_400_000 }]],
    ] as const) {
      await expect(fake.ipcMain.invoke(channel, kiosk.webContents, [...args])).rejects.toMatchObject({ code: 'IPC_NOT_ALLOWED' });
    }
    expect(calls).toEqual([]);
    await expect(fake.ipcMain.invoke(KIOSK_IPC.getAppState, trainer.webContents, [])).resolves.toEqual(VIEW);
    await fake.ipcMain.invoke(KIOSK_IPC.sendApp, trainer.webContents, [{ type: 'start', card: 'adult' }]);
    await fake.ipcMain.invoke(KIOSK_IPC.updateCenter, trainer.webContents, [{ offsetMs: 86_400_000 }]);
    expect(calls).toEqual(['view', 'send start', 'updateCenter']);
  });

  it('a malformed intent never reaches it, and the refusal does not repeat the value', async () => {
    const { app, calls } = recordingApp();
    const trainer = windowAt();
    new KioskIpc({ core, app, cfg: production }).attach(trainer as never, 'trainer');
    const secret = 'SECRET9876';
    const err = await fake.ipcMain.invoke(KIOSK_IPC.sendApp, trainer.webContents, [{ type: 'submit-other-password', value: secret, oops: 1 }]).catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'INVALID_MESSAGE' });
    expect(String((err as Error).message)).not.toContain(secret);
    await expect(fake.ipcMain.invoke(KIOSK_IPC.updateCenter, trainer.webContents, [{ offsetMs: 'soon' }])).rejects.toMatchObject({ code: 'INVALID_MESSAGE' });
    expect(calls).toEqual([]);
  });

  it('a shell without virtual cards has no app simulator', async () => {
    const trainer = windowAt();
    new KioskIpc({ core, cfg: production }).attach(trainer as never, 'trainer');
    await expect(fake.ipcMain.invoke(KIOSK_IPC.getAppState, trainer.webContents, [])).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});

describe('the preload exposes the app simulator with the trainer’s tools only', () => {
  let run = 0;
  async function loadPreload(argv: string[]): Promise<KioskApi> {
    fake.resetElectronFake();
    const saved = process.argv;
    process.argv = [...saved, ...argv];
    try {
      await import(/* @vite-ignore */ `../../electron/preload/index?app-run=${++run}`);
    } finally {
      process.argv = saved;
    }
    return fake.contextBridge.exposed.get('kiosk') as KioskApi;
  }

  it('absent for the citizen’s window; present, frozen and forwarding on its channels for the trainer’s', async () => {
    expect((await loadPreload([])).app).toBeUndefined();
    const kiosk = await loadPreload([TRAINER_API_ARG]);
    expect(kiosk.app && Object.isFrozen(kiosk.app)).toBe(true);
    await kiosk.app?.getState();
    await kiosk.app?.send({ type: 'consent', agree: true });
    await kiosk.app?.getCenter();
    await kiosk.app?.updateCenter({ offsetMs: 0 });
    expect(fake.ipcRenderer.invoked).toEqual([
      { channel: KIOSK_IPC.getAppState, args: [] },
      { channel: KIOSK_IPC.sendApp, args: [{ type: 'consent', agree: true }] },
      { channel: KIOSK_IPC.getCenter, args: [] },
      { channel: KIOSK_IPC.updateCenter, args: [{ offsetMs: 0 }] },
    ]);
  });
});
