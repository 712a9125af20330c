/**
 * A stand-in for the `electron` module, for unit tests of electron/main and electron/preload under
 * plain Node: `vi.mock('electron', () => import('../fakes/electron'))`. It records what the shell
 * asks of Electron (window options, handlers, switches, exposed APIs) and lets a test fire the
 * events Electron would (an IPC invoke from some frame, a navigation, a second instance).
 * Only what the shell uses is modelled; state is reset with resetElectronFake().
 */
import { EventEmitter } from 'node:events';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

// ---------------------------------------------------------------------------------------------
// Frames and web contents

export class FakeFrame {
  constructor(public url: string) {}
}

/** An event object with preventDefault, as Electron passes to its listeners. */
export class FakeEvent {
  defaultPrevented = false;
  constructor(extra: Record<string, unknown> = {}) {
    Object.assign(this, extra);
  }
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

let nextId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame: FakeFrame;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | undefined;
  zoomLimits: [number, number] | undefined;
  zoomLevel = 0;
  destroyed = false;

  constructor(url = 'app://kiosk/index.html') {
    super();
    this.mainFrame = new FakeFrame(url);
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(h: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = h;
  }
  setVisualZoomLevelLimits(min: number, max: number): Promise<void> {
    this.zoomLimits = [min, max];
    return Promise.resolve();
  }
  setZoomLevel(level: number): void {
    this.zoomLevel = level;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Fires `name` with a FakeEvent and returns it (to read defaultPrevented). */
  fire(name: string, ...args: unknown[]): FakeEvent {
    const e = new FakeEvent();
    this.emit(name, e, ...args);
    return e;
  }
}

// ---------------------------------------------------------------------------------------------
// Windows

export class BrowserWindow extends EventEmitter {
  static readonly created: BrowserWindow[] = [];
  readonly webContents: FakeWebContents;
  loadedUrl: string | undefined;
  shown = false;
  focused = false;
  minimized = false;
  destroyed = false;

  constructor(readonly options: Record<string, unknown> = {}) {
    super();
    this.webContents = new FakeWebContents();
    BrowserWindow.created.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focused = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  /** Closes as the user would: 'close' (preventable), then 'closed' unless prevented. */
  close(): boolean {
    const e = new FakeEvent();
    this.emit('close', e);
    if (e.defaultPrevented) return false;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
    return true;
  }
}

// ---------------------------------------------------------------------------------------------
// IPC

class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, fn: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, fn);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What ipcRenderer.invoke from `sender` (its main frame unless `frame` is given) would get. */
  async invoke(channel: string, sender: FakeWebContents, args: unknown[], frame: FakeFrame | null = sender.mainFrame): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (h === undefined) throw new Error(`No handler registered for '${channel}'`);
    return h({ sender, senderFrame: frame }, ...args);
  }
}

export const ipcMain = new FakeIpcMain();

class FakeIpcRenderer extends EventEmitter {
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return Promise.resolve({ channel });
  }
}

export const ipcRenderer = new FakeIpcRenderer();

class FakeContextBridge {
  readonly exposed = new Map<string, unknown>();
  exposeInMainWorld(key: string, api: unknown): void {
    this.exposed.set(key, api);
  }
}

export const contextBridge = new FakeContextBridge();

// ---------------------------------------------------------------------------------------------
// Sessions, protocol, menu, app

export class FakeSession extends EventEmitter {
  readonly protocolHandlers = new Map<string, (req: Request) => Promise<Response> | Response>();
  permissionRequestHandler: ((wc: unknown, permission: string, cb: (granted: boolean) => void, details?: unknown) => void) | undefined;
  permissionCheckHandler: ((wc: unknown, permission: string, origin: string, details?: unknown) => boolean) | undefined;
  devicePermissionHandler: ((details: unknown) => boolean) | undefined;
  beforeRequest: { filter: { urls: string[] }; listener: (details: { url: string }, cb: (r: { cancel?: boolean }) => void) => void } | undefined;

  readonly protocol = {
    handle: (scheme: string, handler: (req: Request) => Promise<Response> | Response) => {
      this.protocolHandlers.set(scheme, handler);
    },
  };
  readonly webRequest = {
    onBeforeRequest: (filter: { urls: string[] }, listener: (details: { url: string }, cb: (r: { cancel?: boolean }) => void) => void) => {
      this.beforeRequest = { filter, listener };
    },
  };
  setPermissionRequestHandler(h: FakeSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = h;
  }
  setPermissionCheckHandler(h: FakeSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = h;
  }
  setDevicePermissionHandler(h: FakeSession['devicePermissionHandler']): void {
    this.devicePermissionHandler = h;
  }
}

const partitions = new Map<string, FakeSession>();

export const session = {
  fromPartition(name: string): FakeSession {
    let s = partitions.get(name);
    if (s === undefined) partitions.set(name, (s = new FakeSession()));
    return s;
  },
  get defaultSession(): FakeSession {
    return session.fromPartition('');
  },
};

export const protocol = {
  privileged: [] as unknown[],
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    protocol.privileged.push(...schemes);
  },
};

export const Menu = {
  applicationMenu: 'default' as unknown,
  setApplicationMenu(menu: unknown): void {
    Menu.applicationMenu = menu;
  },
};

class FakeApp extends EventEmitter {
  isPackaged = false;
  /** What requestSingleInstanceLock answers. */
  lockAvailable = true;
  quitCalls = 0;
  exitCode: number | undefined;
  readonly switches: [string, string | undefined][] = [];
  readonly commandLine = {
    appendSwitch: (name: string, value?: string) => {
      this.switches.push([name, value]);
    },
  };
  sandboxEnabled = false;
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  requestSingleInstanceLock(): boolean {
    return this.lockAvailable;
  }
  quit(): void {
    this.quitCalls++;
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
}

export const app = new FakeApp();

/** Forgets everything recorded (call in beforeEach). */
export function resetElectronFake(): void {
  BrowserWindow.created.length = 0;
  ipcMain.handlers.clear();
  ipcRenderer.invoked.length = 0;
  ipcRenderer.removeAllListeners();
  contextBridge.exposed.clear();
  partitions.clear();
  protocol.privileged.length = 0;
  Menu.applicationMenu = 'default';
  app.removeAllListeners();
  app.isPackaged = false;
  app.lockAvailable = true;
  app.quitCalls = 0;
  app.exitCode = undefined;
  app.switches.length = 0;
  app.sandboxEnabled = false;
}

export default { app, BrowserWindow, contextBridge, ipcMain, ipcRenderer, Menu, protocol, session };
