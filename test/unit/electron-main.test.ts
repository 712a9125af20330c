/**
 * electron/main/index.ts's wiring, with `electron` and the kiosk runtime mocked: before `ready` the
 * scheme is privileged, Chromium gets its touch switches and every web contents its guards; a second
 * instance starts nothing; the production shell removes the menu, hardens the kiosk session, opens
 * the kiosk window on app://kiosk and binds IPC; the trainer shortcut opens the trainer window;
 * quitting runs the shutdown (input off, journal settled, runtime closed) before exiting.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../electron/contract/kiosk';

vi.mock('electron', () => import('../fakes/electron'));

const order: string[] = [];
const SNAPSHOT = { seq: 1, screen: { id: 'top', services: [] } } as unknown as Snapshot;

vi.mock('../../electron/kiosk/runtime', () => ({
  startKioskRuntime: async () => ({
    core: {
      snapshot: () => SNAPSHOT,
      send: () => ({ accepted: true }),
      onSnapshot: () => () => {},
      getSettings: () => ({ chain: 'seven-eleven' }),
      updateSettings: () => ({ ok: true }),
      settle: async () => void order.push('settle'),
    },
    settings: { get: () => ({ readerName: '' }) },
    reader: {},
    dataDir: '/tmp/kiosk',
    center: new Promise(() => {}),
    close: async () => void order.push('close-runtime'),
  }),
}));

// The simulator's virtual-card desk would issue persona cards into the card directory: not here.
vi.mock('../../electron/host/virtual-cards', () => ({
  VirtualCardDesk: class {
    ensurePersonaCards = async () => void order.push('persona cards');
    listCards = async () => ({ available: true, cards: [], placed: null });
  },
}));

const fake = await import('../fakes/electron');
const { KIOSK_IPC } = await import('../../electron/contract/methods');

const proc = process as unknown as { dlopen: unknown };
const savedDlopen = proc.dlopen;
const savedShell = process.env.KIOSK_SIM_SHELL;
let run = 0;

async function startMain(): Promise<void> {
  await import(/* @vite-ignore */ `../../electron/main/index?run=${++run}`);
  for (let i = 0; i < 50 && fake.BrowserWindow.created.length === 0 && fake.app.quitCalls === 0; i++) await new Promise((r) => setTimeout(r, 5));
}

beforeAll(() => {
  process.env.KIOSK_SIM_SHELL = 'production';
});

afterAll(() => {
  proc.dlopen = savedDlopen;
  if (savedShell === undefined) delete process.env.KIOSK_SIM_SHELL;
  else process.env.KIOSK_SIM_SHELL = savedShell;
});

describe('main process wiring', () => {
  it('a second instance quits and opens nothing', async () => {
    fake.resetElectronFake();
    fake.app.lockAvailable = false;
    await startMain();
    expect(fake.app.quitCalls).toBe(1);
    expect(fake.BrowserWindow.created).toHaveLength(0);
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('the production shell: hardened before and after ready, kiosk window on app://kiosk, IPC bound, trainer shortcut, ordered shutdown', async () => {
    fake.resetElectronFake();
    await startMain();

    // Before ready.
    expect(fake.protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(fake.app.switches).toEqual([
      ['touch-events', 'enabled'],
      ['disable-pinch', undefined],
      ['overscroll-history-navigation', '0'],
    ]);
    expect(fake.app.listenerCount('web-contents-created')).toBe(1);
    expect(fake.app.sandboxEnabled).toBe(true);

    // After ready.
    expect(fake.Menu.applicationMenu).toBeNull();
    const ses = fake.session.fromPartition('kiosk');
    expect([...ses.protocolHandlers.keys()]).toEqual(['app']);
    expect(ses.permissionRequestHandler).toBeDefined();
    const [kiosk] = fake.BrowserWindow.created;
    expect(kiosk?.options).toMatchObject({ kiosk: true, fullscreen: true, show: false });
    expect(kiosk?.loadedUrl).toBe('app://kiosk/index.html');
    expect(fake.ipcMain.handlers.size).toBe(14);
    await expect(fake.ipcMain.invoke(KIOSK_IPC.getSnapshot, kiosk!.webContents, [])).resolves.toBe(SNAPSHOT);
    await expect(fake.ipcMain.invoke(KIOSK_IPC.getSettings, kiosk!.webContents, [])).rejects.toMatchObject({ code: 'IPC_NOT_ALLOWED' });
    // A citizen cannot close the kiosk window.
    expect(kiosk!.close()).toBe(false);

    // The trainer shortcut opens the trainer window, which may read settings.
    const chord = { type: 'keyDown', key: 't', control: true, alt: true, shift: true, meta: false };
    expect(kiosk!.webContents.fire('before-input-event', chord).defaultPrevented).toBe(true);
    const trainer = fake.BrowserWindow.created[1];
    expect(trainer?.options).toMatchObject({ kiosk: false, frame: true });
    await expect(fake.ipcMain.invoke(KIOSK_IPC.getSettings, trainer!.webContents, [])).resolves.toEqual({ chain: 'seven-eleven' });
    kiosk!.webContents.fire('before-input-event', chord);
    expect(fake.BrowserWindow.created).toHaveLength(2);

    // Quit: the shutdown runs first, then the app exits.
    const quit = new fake.FakeEvent();
    fake.app.emit('before-quit', quit);
    expect(quit.defaultPrevented).toBe(true);
    for (let i = 0; i < 50 && fake.app.exitCode === undefined; i++) await new Promise((r) => setTimeout(r, 5));
    expect(order.filter((o) => o !== 'persona cards')).toEqual(['settle', 'close-runtime']);
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(fake.app.exitCode).toBe(0);
  });
});
