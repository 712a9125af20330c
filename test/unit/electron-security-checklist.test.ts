/**
 * Electron's security checklist (electronjs.org/docs/latest/tutorial/security, "Checklist:
 * Security recommendations"), item by item: each `it` names the item and asserts the shell's
 * configuration that meets it, for every window role, in the production build (and, where it
 * matters, the development build too). `electron` is mocked: what is checked is what the shell
 * asks Electron for.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { KioskBackend } from '../../electron/contract/backends';

vi.mock('electron', () => import('../fakes/electron'));

const fake = await import('../fakes/electron');
const security = await import('../../electron/main/security');
const { kioskWindowOptions, trainerWindowOptions, openWindow } = await import('../../electron/main/window');
const { readShellConfig } = await import('../../electron/main/shell-config');
const { KioskIpc } = await import('../../electron/main/kiosk-ipc');
const { KIOSK_IPC } = await import('../../electron/contract/methods');
const { fusesFor } = await import('../../electron/packaging/builder-config');
const { FUSE_INDEX, knownFuseIndices } = await import('../../electron/packaging/fuses');

const paths = { preload: '/app/out/preload/index.cjs' };
const production = readShellConfig({ argv: [], env: {}, isPackaged: true });
const development = readShellConfig({ argv: [], env: {}, isPackaged: false });
/** Every window the shell can make, in both builds. */
const ALL_WINDOWS = [
  ['kiosk/production', kioskWindowOptions(production, paths)],
  ['trainer/production', trainerWindowOptions(production, paths)],
  ['kiosk/development', kioskWindowOptions(development, paths)],
  ['trainer/development', trainerWindowOptions(development, paths)],
] as const;
const prefs = () => ALL_WINDOWS.map(([name, o]) => [name, o.webPreferences ?? {}] as const);

const repo = path.resolve(import.meta.dirname, '../..');
/** The shell's own code (main + preload) without its comments, for "never calls X" items. */
function shellSource(): string {
  const dirs = ['electron/main', 'electron/preload'].map((d) => path.join(repo, d));
  const text = dirs.flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.ts')).map((f) => fs.readFileSync(path.join(d, f), 'utf8'))).join('\n');
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

beforeEach(() => fake.resetElectronFake());

describe("Electron's security checklist", () => {
  it('1. Only load secure content: the renderer comes from our secure app:// scheme, and every network or file request is cancelled', () => {
    expect(security.APP_ENTRY_URL).toBe('app://kiosk/index.html');
    expect(security.privilegedSchemes()).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    const win = openWindow({ role: 'kiosk', cfg: production, paths }) as unknown as InstanceType<typeof fake.BrowserWindow>;
    expect(win.loadedUrl).toBe(security.APP_ENTRY_URL);
    const ses = fake.session.fromPartition('kiosk');
    security.hardenSession(ses as never, { rendererRoot: repo });
    expect(ses.beforeRequest?.filter.urls).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file:///*']));
  });

  it('2. Do not enable Node.js integration for remote content: off in every window, worker and subframe', () => {
    for (const [name, p] of prefs()) expect(p, name).toMatchObject({ nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false });
  });

  it('3. Enable context isolation: on in every window', () => {
    for (const [name, p] of prefs()) expect(p.contextIsolation, name).toBe(true);
  });

  it('4. Enable process sandboxing: every renderer is sandboxed (the preload is a CommonJS bundle for that reason), and main enables it app-wide', () => {
    for (const [name, p] of prefs()) expect(p.sandbox, name).toBe(true);
    expect(shellSource()).toMatch(/app\.enableSandbox\(\)/);
    expect(paths.preload.endsWith('.cjs')).toBe(true);
  });

  it('5. Handle session permission requests: every request and check is denied on the kiosk session', () => {
    const ses = fake.session.fromPartition('kiosk');
    security.hardenSession(ses as never, { rendererRoot: repo });
    let granted: boolean | undefined;
    ses.permissionRequestHandler?.(null, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
    expect(ses.permissionCheckHandler?.(null, 'notifications', 'app://kiosk')).toBe(false);
    expect(ses.devicePermissionHandler?.({})).toBe(false);
    for (const [name, p] of prefs()) expect(p.partition, name).toBe('kiosk');
  });

  it('6. Do not disable webSecurity', () => {
    for (const [name, p] of prefs()) expect(p.webSecurity, name).toBe(true);
  });

  it("7. Define a Content-Security-Policy: a restrictive header on every app:// response (script-src 'self', no eval), and the renderer's meta agrees", async () => {
    const csp = security.contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(csp.split(';').find((d) => d.trim().startsWith('script-src'))).not.toMatch(/unsafe-inline/);
    expect(csp).toContain("object-src 'none'");
    const res = await security.handleAppRequest(path.join(repo, 'renderer'), new Request('app://kiosk/index.html'));
    expect(res.headers.get('content-security-policy')).toBe(csp);
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(fs.readFileSync(path.join(repo, 'renderer/index.html'), 'utf8'))?.[1];
    expect(meta).toContain("script-src 'self'");
    expect(meta).not.toMatch(/unsafe-eval/);
  });

  it('8. Do not enable allowRunningInsecureContent', () => {
    for (const [name, p] of prefs()) expect(p.allowRunningInsecureContent, name).toBe(false);
  });

  it('9. Do not enable experimental features', () => {
    for (const [name, p] of prefs()) expect(p.experimentalFeatures, name).toBe(false);
  });

  it('10. Do not use enableBlinkFeatures', () => {
    for (const [name, p] of prefs()) expect(p.enableBlinkFeatures, name).toBeUndefined();
  });

  it('11. <webview>: do not use allowpopups — there is no <webview> at all (webviewTag off)', () => {
    for (const [name, p] of prefs()) expect(p.webviewTag, name).toBe(false);
  });

  it('12. <webview>: verify options and params — any attach is refused outright', () => {
    const wc = new fake.FakeWebContents();
    security.guardWebContents(wc as never);
    expect(wc.fire('will-attach-webview', { nodeIntegration: true }, { src: 'https://example.com/', allowpopups: true }).defaultPrevented).toBe(true);
  });

  it('13. Disable or limit navigation: only our own origin, checked with a URL parser, in every web contents', () => {
    security.guardAllWebContents(fake.app as never);
    const wc = new fake.FakeWebContents();
    fake.app.emit('web-contents-created', new fake.FakeEvent(), wc);
    expect(wc.fire('will-navigate', 'https://example.com/').defaultPrevented).toBe(true);
    expect(wc.fire('will-navigate', 'app://kiosk.example.com/').defaultPrevented).toBe(true);
    expect(wc.fire('will-redirect', 'http://127.0.0.1/').defaultPrevented).toBe(true);
    expect(wc.fire('will-navigate', 'app://kiosk/index.html').defaultPrevented).toBe(false);
  });

  it('14. Disable or limit creation of new windows: every window.open is denied', () => {
    const wc = new fake.FakeWebContents();
    security.guardWebContents(wc as never);
    expect(wc.windowOpenHandler?.({ url: 'app://kiosk/index.html' })).toEqual({ action: 'deny' });
  });

  it('15. Do not use shell.openExternal with untrusted content: the shell never calls it', () => {
    const code = shellSource();
    expect(code).not.toMatch(/openExternal/);
    expect(code).not.toMatch(/import \{[^}]*\bshell\b[^}]*\} from 'electron'/);
  });

  it('16. Use a current version of Electron: a supported major line (raise the floor with each upgrade)', () => {
    const require = createRequire(path.join(repo, 'package.json'));
    const version = (require('electron/package.json') as { version: string }).version;
    // Electron supports its latest three major lines; 40 is the newest this project was built on.
    expect(Number(version.split('.')[0])).toBeGreaterThanOrEqual(40);
  });

  it('17. Validate the sender of all IPC messages: every channel refuses another web contents, an iframe and a foreign origin', async () => {
    const core = { snapshot: () => ({}), send: () => ({}), onSnapshot: () => () => {}, getSettings: () => ({}), updateSettings: () => ({}) } as unknown as KioskBackend;
    const ipc = new KioskIpc({ core, cfg: development });
    const win = new fake.BrowserWindow();
    win.webContents.mainFrame.url = 'app://kiosk/index.html';
    ipc.attach(win as never, 'kiosk');
    const foreign = new fake.BrowserWindow();
    foreign.webContents.mainFrame.url = 'https://example.com/';
    ipc.attach(foreign as never, 'kiosk');
    const channels = Object.values(KIOSK_IPC).filter((c) => c !== KIOSK_IPC.snapshot);
    expect(channels).toHaveLength(14);
    for (const channel of channels) {
      await expect(fake.ipcMain.invoke(channel, new fake.FakeWebContents(), []), channel).rejects.toMatchObject({ code: 'IPC_SENDER_REFUSED' });
      await expect(fake.ipcMain.invoke(channel, win.webContents, [], new fake.FakeFrame('app://kiosk/index.html')), channel).rejects.toMatchObject({ code: 'IPC_SENDER_REFUSED' });
      await expect(fake.ipcMain.invoke(channel, foreign.webContents, []), channel).rejects.toMatchObject({ code: 'IPC_SENDER_REFUSED' });
    }
  });

  it('18. Avoid the file:// protocol, prefer a custom protocol: app:// with protocol.handle and path containment, never loadFile', async () => {
    const ses = fake.session.fromPartition('kiosk');
    security.hardenSession(ses as never, { rendererRoot: path.join(repo, 'renderer') });
    expect([...ses.protocolHandlers.keys()]).toEqual(['app']);
    expect(security.resolveAppPath(path.join(repo, 'renderer'), 'app://kiosk/assets/%2e%2e%2f%2e%2e%2fpackage.json')).toEqual({ ok: false, status: 403 });
    expect(security.privilegedSchemes()[0]?.privileges).not.toHaveProperty('bypassCSP');
    expect(shellSource()).not.toMatch(/\.loadFile\(|loadURL\(['`"]file:/);
    expect(fusesFor('production').grantFileProtocolExtraPrivileges).toBe(false);
  });

  it('19. Check which fuses you can change: every fuse Electron has is set, hardened for production; the test build differs only in the inspector', () => {
    const p = fusesFor('production');
    expect(p).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(Object.values(FUSE_INDEX).sort()).toEqual(knownFuseIndices().sort());
    const t = fusesFor('test');
    expect(t.enableNodeCliInspectArguments).toBe(true);
    expect({ ...t, enableNodeCliInspectArguments: false }).toEqual(p);
  });

  it('20. Do not expose Electron APIs to untrusted web content: the preload exposes window.kiosk only, functions that forward, never ipcRenderer', async () => {
    await import('../../electron/preload/index');
    expect([...fake.contextBridge.exposed.keys()]).toEqual(['kiosk']);
    const api = fake.contextBridge.exposed.get('kiosk') as Record<string, unknown>;
    for (const [k, v] of Object.entries(api)) {
      expect(v, k).not.toBe(fake.ipcRenderer);
      expect(['function', 'string', 'object'], k).toContain(typeof v);
    }
    expect(shellSource()).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
  });
});

describe('beyond the checklist, for a kiosk', () => {
  it('no devtools in production; an in-memory session (nothing a citizen did is left on disk); no page dialogs', () => {
    for (const [name, o] of ALL_WINDOWS.filter(([n]) => n.endsWith('production'))) {
      expect(o.webPreferences?.devTools, name).toBe(false);
      expect(o.webPreferences?.partition, name).not.toMatch(/^persist:/);
      expect(o.webPreferences?.disableDialogs, name).toBe(true);
    }
  });
});
