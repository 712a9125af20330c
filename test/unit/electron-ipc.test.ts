/**
 * window.kiosk over Electron IPC, with `electron` mocked: who may call what, and what reaches the
 * core. A message from a window the shell did not make, from an iframe, or from a page that is not
 * ours is refused; the trainer's tools answer only a window that has them; malformed arguments
 * never reach the core; and no refusal repeats a value it was sent.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SendResult, Snapshot } from '../../electron/contract/kiosk';
import type { SettingsResult, TrainerResult, VirtualCardsView } from '../../electron/contract/trainer';
import type { KioskBackend, TrainerBackend } from '../../electron/contract/backends';

vi.mock('electron', () => import('../fakes/electron'));

const fake = await import('../fakes/electron');
const { KioskIpc, KioskIpcError, checkIpcArguments, methodAllowed } = await import('../../electron/main/kiosk-ipc');
const { readShellConfig } = await import('../../electron/main/shell-config');
const { KIOSK_IPC } = await import('../../electron/contract/methods');

const production = readShellConfig({ argv: [], env: {}, isPackaged: true });
const development = readShellConfig({ argv: [], env: {}, isPackaged: false });

const SNAPSHOT = { seq: 1 } as unknown as Snapshot;
const CARDS: VirtualCardsView = { available: true, cards: [], placed: null };

/** A core that records what reached it. */
function fakeCore() {
  const calls: string[] = [];
  const listeners = new Set<(s: Snapshot) => void>();
  const core: KioskBackend = {
    snapshot: () => (calls.push('snapshot'), SNAPSHOT),
    send: (intent) => (calls.push(`send ${(intent as { type: string }).type}`), { accepted: true } satisfies SendResult),
    onSnapshot: (l) => (listeners.add(l), () => listeners.delete(l)),
    getSettings: () => (calls.push('getSettings'), {}) as never,
    updateSettings: () => (calls.push('updateSettings'), { ok: false, problem: 'center-url-invalid' }) as SettingsResult,
  };
  const trainer: TrainerBackend = {
    listCards: async () => (calls.push('listCards'), CARDS),
    placeCard: async (name) => (calls.push(`placeCard ${name}`), { ok: true, cards: CARDS }) as TrainerResult,
    removeCard: async () => (calls.push('removeCard'), { ok: true, cards: CARDS }) as TrainerResult,
  };
  return { core, trainer, calls, push: (s: Snapshot) => listeners.forEach((l) => l(s)), listenerCount: () => listeners.size };
}

function windowAt(url = 'app://kiosk/index.html') {
  const win = new fake.BrowserWindow();
  win.webContents.mainFrame.url = url;
  return win;
}

beforeEach(() => fake.resetElectronFake());

describe('the sender of every message is checked', () => {
  it('the kiosk window, from its main frame on app://kiosk, reaches the core', async () => {
    const c = fakeCore();
    const ipc = new KioskIpc({ core: c.core, cfg: production });
    const win = windowAt();
    ipc.attach(win as never, 'kiosk');
    await expect(fake.ipcMain.invoke(KIOSK_IPC.getSnapshot, win.webContents, [])).resolves.toBe(SNAPSHOT);
    await expect(fake.ipcMain.invoke(KIOSK_IPC.send, win.webContents, [{ type: 'agree' }])).resolves.toEqual({ accepted: true });
    expect(c.calls).toEqual(['snapshot', 'send agree']);
  });

  it('a web contents the shell did not attach is refused', async () => {
    const c = fakeCore();
    new KioskIpc({ core: c.core, cfg: production }).attach(windowAt() as never, 'kiosk');
    const stranger = new fake.FakeWebContents();
    await expect(fake.ipcMain.invoke(KIOSK_IPC.send, stranger, [{ type: 'agree' }])).rejects.toMatchObject({ code: 'IPC_SENDER_REFUSED', refusal: 'unknown-sender' });
    expect(c.calls).toEqual([]);
  });

  it('an iframe inside the kiosk window is refused, and so is a frame already gone', async () => {
    const c = fakeCore();
    const win = windowAt();
    new KioskIpc({ core: c.core, cfg: production }).attach(win as never, 'kiosk');
    const iframe = new fake.FakeFrame('app://kiosk/index.html');
    await expect(fake.ipcMain.invoke(KIOSK_IPC.getSnapshot, win.webContents, [], iframe)).rejects.toMatchObject({ refusal: 'not-main-frame' });
    await expect(fake.ipcMain.invoke(KIOSK_IPC.getSnapshot, win.webContents, [], null)).rejects.toMatchObject({ refusal: 'not-main-frame' });
    expect(c.calls).toEqual([]);
  });

  it('the kiosk window showing any other origin is refused (the URL is parsed, not prefix-matched)', async () => {
    const c = fakeCore();
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://kiosk.evil/index.html', 'app://other/index.html', 'devtools://devtools/x']) {
      fake.resetElectronFake();
      const win = windowAt(url);
      new KioskIpc({ core: c.core, cfg: production }).attach(win as never, 'kiosk');
      await expect(fake.ipcMain.invoke(KIOSK_IPC.getSnapshot, win.webContents, [])).rejects.toMatchObject({ refusal: 'foreign-origin' });
    }
    expect(c.calls).toEqual([]);
  });

  it('a closed window is detached: its messages are refused and it gets no more snapshots', async () => {
    const c = fakeCore();
    const win = windowAt();
    new KioskIpc({ core: c.core, cfg: production }).attach(win as never, 'kiosk');
    const contents = win.webContents;
    win.close();
    contents.destroyed = false; // as if a late message still arrived from it
    await expect(fake.ipcMain.invoke(KIOSK_IPC.getSnapshot, contents, [])).rejects.toMatchObject({ refusal: 'unknown-sender' });
    expect(c.listenerCount()).toBe(0);
  });
});

describe('what each window may call', () => {
  it('production: the citizen window may not read or change settings or touch virtual cards; the trainer window may', async () => {
    const c = fakeCore();
    const ipc = new KioskIpc({ core: c.core, trainer: c.trainer, cfg: production });
    const kiosk = windowAt();
    const trainer = windowAt();
    ipc.attach(kiosk as never, 'kiosk');
    ipc.attach(trainer as never, 'trainer');
    for (const [channel, args] of [
      [KIOSK_IPC.getSettings, []],
      [KIOSK_IPC.updateSettings, [{ chain: 'lawson' }]],
      [KIOSK_IPC.listCards, []],
      [KIOSK_IPC.placeCard, ['adult']],
      [KIOSK_IPC.removeCard, []],
    ] as const) {
      await expect(fake.ipcMain.invoke(channel, kiosk.webContents, [...args])).rejects.toMatchObject({ code: 'IPC_NOT_ALLOWED' });
    }
    expect(c.calls).toEqual([]);
    await fake.ipcMain.invoke(KIOSK_IPC.updateSettings, trainer.webContents, [{ chain: 'lawson' }]);
    await fake.ipcMain.invoke(KIOSK_IPC.placeCard, trainer.webContents, ['adult']);
    expect(c.calls).toEqual(['updateSettings', 'placeCard adult']);
  });

  it('development: the card tray in the kiosk window works as in the browser host', async () => {
    const c = fakeCore();
    const win = windowAt();
    new KioskIpc({ core: c.core, trainer: c.trainer, cfg: development }).attach(win as never, 'kiosk');
    await expect(fake.ipcMain.invoke(KIOSK_IPC.listCards, win.webContents, [])).resolves.toEqual(CARDS);
  });

  it('without virtual cards (a packaged terminal) the card methods say unsupported', async () => {
    const c = fakeCore();
    const win = windowAt();
    new KioskIpc({ core: c.core, cfg: development }).attach(win as never, 'kiosk');
    await expect(fake.ipcMain.invoke(KIOSK_IPC.listCards, win.webContents, [])).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('the permission table', () => {
    expect(methodAllowed('send', 'kiosk', production)).toBe(true);
    expect(methodAllowed('getSnapshot', 'kiosk', { ...production, trainer: 'off' })).toBe(true);
    expect(methodAllowed('updateSettings', 'trainer', { ...production, trainer: 'off' })).toBe(false);
    expect(methodAllowed('placeCard', 'kiosk', { ...production, trainer: 'tray' })).toBe(true);
  });
});

describe('every payload is validated against the contract', () => {
  it.each([
    ['send', [{ type: 'no-such-intent' }]],
    ['send', [{ type: 'agree', extra: true }]],
    ['send', [{ type: 'submit-other-password', value: 'X'.repeat(33) }]],
    ['send', [{ type: 'choose-service', service: 'admin' }, 'second argument']],
    ['send', []],
    ['getSnapshot', ['unexpected']],
    ['updateSettings', [{ chain: 'not-a-chain' }]],
    ['updateSettings', [{ readerName: 'x', unknownKey: 1 }]],
    ['placeCard', ['../../etc/passwd']],
    ['placeCard', [42]],
  ] as const)('%s(%j) is refused before the core', (method, args) => {
    expect(checkIpcArguments(method, args).ok).toBe(false);
  });

  it('a refused payload rejects with paths and keywords only, never the value it carried', async () => {
    const c = fakeCore();
    const win = windowAt();
    new KioskIpc({ core: c.core, cfg: production }).attach(win as never, 'kiosk');
    const secret = 'MYSECRET99';
    const err = await fake.ipcMain.invoke(KIOSK_IPC.send, win.webContents, [{ type: 'submit-other-password', value: secret, oops: 1 }]).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error & { code: string }).code).toBe('INVALID_MESSAGE');
    expect((err as Error).message).not.toContain(secret);
    expect(c.calls).toEqual([]);
  });

  it('refusals are logged by kind and channel only', async () => {
    const lines: string[] = [];
    const c = fakeCore();
    const win = windowAt('https://evil.example/');
    new KioskIpc({ core: c.core, cfg: production, log: (l) => lines.push(l) }).attach(win as never, 'kiosk');
    await fake.ipcMain.invoke(KIOSK_IPC.send, win.webContents, [{ type: 'submit-other-password', value: '1234' }]).catch(() => undefined);
    expect(lines).toEqual(['kiosk IPC refused (foreign-origin) on kiosk:send']);
  });

  it('the errors are typed', () => {
    expect(new KioskIpcError('unknown-sender').code).toBe('IPC_SENDER_REFUSED');
    expect(new KioskIpcError('not-allowed-for-window').code).toBe('IPC_NOT_ALLOWED');
  });
});

describe('snapshots and teardown', () => {
  it('snapshots are pushed to attached windows only, and dispose removes every handler', async () => {
    const c = fakeCore();
    const ipc = new KioskIpc({ core: c.core, cfg: production });
    const attached = windowAt();
    const other = windowAt();
    ipc.attach(attached as never, 'kiosk');
    c.push(SNAPSHOT);
    expect(attached.webContents.sent).toEqual([{ channel: KIOSK_IPC.snapshot, args: [SNAPSHOT] }]);
    expect(other.webContents.sent).toEqual([]);
    ipc.dispose();
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(c.listenerCount()).toBe(0);
    await expect(fake.ipcMain.invoke(KIOSK_IPC.getSnapshot, attached.webContents, [])).rejects.toThrow(/No handler/);
  });
});
