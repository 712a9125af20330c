/**
 * The shell's windows and start-up configuration, with `electron` mocked: what a citizen's screen
 * is allowed to be (fullscreen kiosk, no frame, no devtools, no keys that reload or zoom), what a
 * developer's is, and that a window shows only once its first screen is drawn.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Input } from 'electron';

vi.mock('electron', () => import('../fakes/electron'));

const fake = await import('../fakes/electron');
const { blockedKey, chromiumSwitches, kioskWindowOptions, openWindow, trainerApiIn, trainerWindowOptions, KIOSK_PARTITION, TRAINER_API_ARG } = await import('../../electron/main/window');
const { readShellConfig, ShellConfigError } = await import('../../electron/main/shell-config');
const { APP_ENTRY_URL } = await import('../../electron/main/security');

const paths = { preload: '/app/out/preload/index.cjs' };
const production = readShellConfig({ argv: [], env: {}, isPackaged: true });
const development = readShellConfig({ argv: [], env: {}, isPackaged: false });

function key(k: string, mods: Partial<Pick<Input, 'control' | 'meta' | 'alt' | 'shift'>> = {}): Input {
  return { type: 'keyDown', key: k, code: '', isAutoRepeat: false, isComposing: false, control: false, meta: false, alt: false, shift: false, location: 0, modifiers: [], ...mods } as Input;
}

beforeEach(() => fake.resetElectronFake());

describe('shell configuration', () => {
  it('a packaged app is the production shell: kiosk mode, trainer tools only in their own window, no devtools', () => {
    expect(production).toEqual({ build: 'production', kiosk: true, trainer: 'window', devTools: false });
  });

  it('a checkout is the development shell: windowed, the card tray in the kiosk window, devtools', () => {
    expect(development).toEqual({ build: 'development', kiosk: false, trainer: 'tray', devTools: true });
  });

  it('the command line wins over the environment, which wins over the build', () => {
    expect(readShellConfig({ argv: ['--windowed', '--trainer=off'], env: { KIOSK_SIM_KIOSK: '1', KIOSK_SIM_TRAINER: 'tray' }, isPackaged: true })).toMatchObject({ kiosk: false, trainer: 'off' });
    expect(readShellConfig({ argv: [], env: { KIOSK_SIM_SHELL: 'production' }, isPackaged: false })).toMatchObject({ build: 'production', kiosk: true, devTools: false });
    expect(readShellConfig({ argv: ['--kiosk'], env: {}, isPackaged: false })).toMatchObject({ build: 'development', kiosk: true });
  });

  it('a mistyped value is refused with a typed error instead of silently falling back', () => {
    expect(() => readShellConfig({ argv: ['--trainer=everyone'], env: {}, isPackaged: true })).toThrow(ShellConfigError);
    expect(() => readShellConfig({ argv: [], env: { KIOSK_SIM_SHELL: 'prod' }, isPackaged: true })).toThrow(/production or development/);
    expect(() => readShellConfig({ argv: [], env: { KIOSK_SIM_KIOSK: 'yes' }, isPackaged: true })).toThrow(/1 or 0/);
  });
});

describe('kiosk window options', () => {
  it('production: fullscreen kiosk, frameless, not closable or resizable, hidden until ready', () => {
    const o = kioskWindowOptions(production, paths);
    expect(o).toMatchObject({ kiosk: true, fullscreen: true, frame: false, closable: false, resizable: false, movable: false, minimizable: false, show: false, autoHideMenuBar: true });
    expect(o.webPreferences).toMatchObject({ devTools: false, preload: paths.preload, partition: KIOSK_PARTITION, zoomFactor: 1, disableDialogs: true });
  });

  it('production: the citizen window gets no trainer API', () => {
    expect(kioskWindowOptions(production, paths).webPreferences?.additionalArguments).toEqual([]);
    expect(trainerWindowOptions(production, paths).webPreferences?.additionalArguments).toEqual([TRAINER_API_ARG]);
  });

  it('development: an ordinary 1280×800 window with devtools and the card tray', () => {
    const o = kioskWindowOptions(development, paths);
    expect(o).toMatchObject({ width: 1280, height: 800, useContentSize: true, kiosk: false, frame: true, closable: true, show: false });
    expect(o.webPreferences).toMatchObject({ devTools: true, additionalArguments: [TRAINER_API_ARG] });
  });

  it('trainer access "off" exposes the trainer API nowhere', () => {
    const off = { ...production, trainer: 'off' as const };
    expect(trainerApiIn('kiosk', off)).toBe(false);
    expect(trainerApiIn('trainer', off)).toBe(false);
  });

  it('the trainer window is an ordinary window, never kiosk, with the same locked-down web preferences', () => {
    const t = trainerWindowOptions(production, paths);
    expect(t).toMatchObject({ kiosk: false, fullscreen: false, frame: true, show: false });
    expect(t.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, devTools: false });
  });
});

describe('touch and keys', () => {
  it('Chromium is started for touch: touch events on, no pinch zoom, no swipe navigation', () => {
    expect(chromiumSwitches(production)).toEqual([['touch-events', 'enabled'], ['disable-pinch'], ['overscroll-history-navigation', '0']]);
  });

  it.each([
    ['reload', key('r', { control: true })],
    ['reload', key('F5')],
    ['reload', key('R', { control: true, shift: true })],
    ['zoom', key('+', { control: true })],
    ['zoom', key('=', { control: true })],
    ['zoom', key('-', { control: true })],
    ['zoom', key('0', { control: true })],
    ['devtools', key('I', { control: true, shift: true })],
    ['devtools', key('F12')],
    ['print', key('p', { control: true })],
    ['new-window', key('n', { control: true })],
    ['close-window', key('w', { control: true })],
    ['close-window', key('F4', { alt: true })],
    ['fullscreen', key('F11')],
    ['navigate-history', key('ArrowLeft', { alt: true })],
  ])('production blocks %s (%o)', (why, input) => {
    expect(blockedKey(input, production)).toBe(why);
  });

  it('production lets ordinary keys through, and development blocks nothing', () => {
    for (const k of [key('a'), key('1'), key('Enter'), key('Backspace'), key('c', { control: true })]) expect(blockedKey(k, production)).toBeNull();
    expect(blockedKey(key('r', { control: true }), development)).toBeNull();
    expect(blockedKey({ ...key('r', { control: true }), type: 'keyUp' }, production)).toBeNull();
  });
});

describe('opening a window', () => {
  it('loads our own origin, shows only on ready-to-show, and pins the zoom', () => {
    const win = openWindow({ role: 'kiosk', cfg: production, paths }) as unknown as InstanceType<typeof fake.BrowserWindow>;
    expect(win.loadedUrl).toBe(APP_ENTRY_URL);
    expect(win.shown).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
    expect(win.webContents.zoomLimits).toEqual([1, 1]);
    win.webContents.zoomLevel = 3;
    win.webContents.emit('zoom-changed');
    expect(win.webContents.zoomLevel).toBe(0);
  });

  it('a blocked key never reaches the page; a consumed shortcut neither; other keys do', () => {
    const seen: string[] = [];
    const win = openWindow({
      role: 'kiosk',
      cfg: production,
      paths,
      onKey: (input) => {
        seen.push(input.key);
        return input.key === 'T';
      },
    }) as unknown as InstanceType<typeof fake.BrowserWindow>;
    expect(win.webContents.fire('before-input-event', key('r', { control: true })).defaultPrevented).toBe(true);
    expect(win.webContents.fire('before-input-event', key('T', { control: true, alt: true, shift: true })).defaultPrevented).toBe(true);
    expect(win.webContents.fire('before-input-event', key('a')).defaultPrevented).toBe(false);
    expect(seen).toEqual(['r', 'T', 'a']);
  });

  it('a crashed renderer is replaced by a fresh one on the first screen; a clean exit is left alone', () => {
    const win = openWindow({ role: 'kiosk', cfg: production, paths }) as unknown as InstanceType<typeof fake.BrowserWindow>;
    win.loadedUrl = undefined;
    win.webContents.emit('render-process-gone', new fake.FakeEvent(), { reason: 'clean-exit', exitCode: 0 });
    expect(win.loadedUrl).toBeUndefined();
    win.webContents.emit('render-process-gone', new fake.FakeEvent(), { reason: 'crashed', exitCode: 139 });
    expect(win.loadedUrl).toBe(APP_ENTRY_URL);
  });

  it('in kiosk mode the window refuses to close until the app says it may', () => {
    let mayClose = false;
    const win = openWindow({ role: 'kiosk', cfg: production, paths, mayClose: () => mayClose }) as unknown as InstanceType<typeof fake.BrowserWindow>;
    expect(win.close()).toBe(false);
    expect(win.isDestroyed()).toBe(false);
    mayClose = true;
    expect(win.close()).toBe(true);
  });
});
