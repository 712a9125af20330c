/**
 * The shell's windows: options as pure functions (tests assert them item by item), and the small
 * amount of wiring each window needs (show when ready, key and zoom guards, load our URL).
 *
 * The kiosk window is what a citizen touches: in production a frameless fullscreen kiosk window,
 * no menu, no reload/zoom/devtools keys, no pinch zoom or swipe navigation. The renderer was laid
 * out for 1280×800 (test/e2e/renderer-layout.spec.ts), which is the windowed size.
 */
import { BrowserWindow, type BrowserWindowConstructorOptions, type Input, type WebPreferences } from 'electron';
import type { ShellConfig } from './shell-config';
import { APP_ENTRY_URL } from './security';
import { TRAINER_API_ARG } from '../preload/args';

/** The renderer's design size. */
export const KIOSK_SIZE = { width: 1280, height: 800 } as const;

/**
 * The session partition of every kiosk window: in memory (no `persist:` prefix), so no cookie,
 * storage or cache of a citizen's session is left on disk.
 */
export const KIOSK_PARTITION = 'kiosk';

export type WindowRole = 'kiosk' | 'trainer';

export { TRAINER_API_ARG };

export interface WindowPaths {
  /** The sandboxed preload bundle (out/preload/index.cjs). */
  readonly preload: string;
}

/** Whether a window of this role gets window.kiosk.trainer (and may call the trainer methods). */
export function trainerApiIn(role: WindowRole, cfg: ShellConfig): boolean {
  if (cfg.trainer === 'off') return false;
  return role === 'trainer' || cfg.trainer === 'tray';
}

/**
 * webPreferences shared by every window: the secure values spelled out even where they are
 * Electron's defaults, so a future default change or a stray edit shows up in the checklist test.
 */
export function secureWebPreferences(role: WindowRole, cfg: ShellConfig, paths: WindowPaths): WebPreferences {
  return {
    preload: paths.preload,
    partition: KIOSK_PARTITION,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    plugins: false,
    enableWebSQL: false,
    navigateOnDragDrop: false,
    devTools: cfg.devTools,
    spellcheck: false,
    // A kiosk page has no use for alert()/confirm(): they would block the screen.
    disableDialogs: true,
    // The countdown keeps running when the window is not focused (e.g. the trainer window is).
    backgroundThrottling: false,
    zoomFactor: 1,
    additionalArguments: trainerApiIn(role, cfg) ? [TRAINER_API_ARG] : [],
  };
}

export function kioskWindowOptions(cfg: ShellConfig, paths: WindowPaths): BrowserWindowConstructorOptions {
  return {
    ...KIOSK_SIZE,
    useContentSize: true,
    // Shown on ready-to-show: no white flash, no half-drawn first screen.
    show: false,
    backgroundColor: '#ffffff',
    title: 'マルチコピー機シミュレータ',
    kiosk: cfg.kiosk,
    fullscreen: cfg.kiosk,
    frame: !cfg.kiosk,
    resizable: !cfg.kiosk,
    movable: !cfg.kiosk,
    minimizable: !cfg.kiosk,
    maximizable: !cfg.kiosk,
    // A citizen cannot close the terminal's screen; the window's close is refused while the app runs.
    closable: !cfg.kiosk,
    fullscreenable: cfg.kiosk,
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences('kiosk', cfg, paths),
  };
}

export function trainerWindowOptions(cfg: ShellConfig, paths: WindowPaths): BrowserWindowConstructorOptions {
  return {
    ...KIOSK_SIZE,
    useContentSize: true,
    show: false,
    backgroundColor: '#ffffff',
    title: 'マルチコピー機シミュレータ — trainer',
    kiosk: false,
    fullscreen: false,
    frame: true,
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences('trainer', cfg, paths),
  };
}

/**
 * Chromium switches for a touch kiosk (app.commandLine.appendSwitch, before `ready`): touch
 * events on, no pinch zoom, no two-finger swipe back/forward.
 */
export function chromiumSwitches(_cfg: ShellConfig): ReadonlyArray<readonly [string, string?]> {
  return [['touch-events', 'enabled'], ['disable-pinch'], ['overscroll-history-navigation', '0']];
}

/** Why a key press is swallowed before the page sees it, or null to let it through. */
export type BlockedKey = 'reload' | 'zoom' | 'devtools' | 'print' | 'new-window' | 'close-window' | 'fullscreen' | 'navigate-history';

/**
 * Keyboard accelerators a production kiosk must not honour (a keyboard may be attached for
 * maintenance, or a touch keyboard may send them). The menu is removed in production, so these
 * have no menu item anyway; this is the second line, and it also covers Chromium's own keys.
 * In development nothing is blocked: reload and devtools are how one works.
 */
export function blockedKey(input: Pick<Input, 'type' | 'key' | 'control' | 'meta' | 'alt' | 'shift'>, cfg: ShellConfig): BlockedKey | null {
  if (cfg.build !== 'production' || input.type !== 'keyDown') return null;
  const key = input.key.length === 1 ? input.key.toLowerCase() : input.key;
  const mod = input.control || input.meta;
  if (key === 'F5' || key === 'BrowserRefresh' || (mod && key === 'r')) return 'reload';
  if (mod && (key === '+' || key === '=' || key === '-' || key === '_' || key === '0')) return 'zoom';
  if (key === 'F12' || (mod && input.shift && (key === 'i' || key === 'j' || key === 'c'))) return 'devtools';
  if (mod && key === 'p') return 'print';
  if (mod && (key === 'n' || key === 't')) return 'new-window';
  if ((mod && (key === 'w' || key === 'F4')) || (input.alt && key === 'F4')) return 'close-window';
  if (key === 'F11') return 'fullscreen';
  if ((input.alt && (key === 'ArrowLeft' || key === 'ArrowRight')) || key === 'BrowserBack' || key === 'BrowserForward') return 'navigate-history';
  return null;
}

export interface OpenWindowOptions {
  readonly role: WindowRole;
  readonly cfg: ShellConfig;
  readonly paths: WindowPaths;
  /**
   * Sees every key press first and returns true for one it consumed (the trainer shortcut), which
   * the page then never sees.
   */
  readonly onKey?: (input: Input) => boolean;
  /** While this returns false, closing the window is refused (production kiosk). */
  readonly mayClose?: () => boolean;
}

/** Creates a window of the given role, hardened, showing app://kiosk/ once it is ready. */
export function openWindow(opts: OpenWindowOptions): BrowserWindow {
  const { role, cfg, paths } = opts;
  const win = new BrowserWindow(role === 'kiosk' ? kioskWindowOptions(cfg, paths) : trainerWindowOptions(cfg, paths));
  const contents = win.webContents;
  win.once('ready-to-show', () => win.show());
  // No zoom by pinch or by keyboard: the layout is fixed to the screen.
  void contents.setVisualZoomLevelLimits(1, 1);
  contents.on('zoom-changed', () => contents.setZoomLevel(0));
  contents.on('before-input-event', (event, input) => {
    if (opts.onKey?.(input) === true || blockedKey(input, cfg) !== null) event.preventDefault();
  });
  // A kiosk never shows Chromium's "Aw, Snap!": a crashed or killed renderer is replaced by a
  // fresh one on our first screen (the core still holds the session and pushes its snapshot).
  contents.on('render-process-gone', (_event, details) => {
    if (details.reason !== 'clean-exit' && !win.isDestroyed()) void win.loadURL(APP_ENTRY_URL);
  });
  if (opts.mayClose !== undefined) {
    const mayClose = opts.mayClose;
    win.on('close', (event) => {
      if (!mayClose()) event.preventDefault();
    });
  }
  void win.loadURL(APP_ENTRY_URL);
  return win;
}
