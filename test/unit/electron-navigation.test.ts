/**
 * What the kiosk's pages can reach, with `electron` mocked: navigation, redirects, new windows and
 * <webview> are refused; every permission is denied; the network is cancelled; and app://kiosk/
 * serves only files inside the renderer directory, each with the CSP header.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../fakes/electron'));

const fake = await import('../fakes/electron');
const { guardAllWebContents, guardWebContents, handleAppRequest, hardenSession, navigationAllowed, resolveAppPath, contentSecurityPolicy, BLOCKED_REQUEST_URLS } = await import('../../electron/main/security');

let root: string;
let outside: string;

beforeAll(() => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-app-protocol-'));
  root = path.join(base, 'renderer');
  outside = path.join(base, 'secret.txt');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>kiosk</title>');
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'assets', 'a b.css'), 'body{}');
  fs.writeFileSync(outside, 'not for the renderer');
  fs.symlinkSync(outside, path.join(root, 'assets', 'link-out.txt'));
  fs.symlinkSync(path.dirname(root), path.join(root, 'up'));
});

afterAll(() => fs.rmSync(path.dirname(root), { recursive: true, force: true }));
beforeEach(() => fake.resetElectronFake());

describe('navigation, redirects, new windows, webview', () => {
  it.each(['https://example.com/', 'http://127.0.0.1:5177/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://kiosk.evil/index.html', 'app://kiosk@evil/x', 'data:text/html,hi', 'chrome://settings'])(
    'a page-initiated navigation to %s is refused',
    (url) => {
      const wc = new fake.FakeWebContents();
      guardWebContents(wc as never);
      expect(wc.fire('will-navigate', url).defaultPrevented).toBe(true);
      expect(wc.fire('will-redirect', url).defaultPrevented).toBe(true);
      const frameNav = new fake.FakeEvent({ url });
      wc.emit('will-frame-navigate', frameNav);
      expect(frameNav.defaultPrevented).toBe(true);
    },
  );

  it('our own pages stay reachable', () => {
    const wc = new fake.FakeWebContents();
    guardWebContents(wc as never);
    expect(wc.fire('will-navigate', 'app://kiosk/index.html').defaultPrevented).toBe(false);
    expect(navigationAllowed('app://kiosk/index.html#x')).toBe(true);
  });

  it('window.open and target=_blank are denied, whatever the URL', () => {
    const wc = new fake.FakeWebContents();
    guardWebContents(wc as never);
    for (const url of ['https://example.com/', 'app://kiosk/index.html', 'about:blank']) expect(wc.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
  });

  it('a <webview> is never attached', () => {
    const wc = new fake.FakeWebContents();
    guardWebContents(wc as never);
    expect(wc.fire('will-attach-webview', {}, { src: 'app://kiosk/index.html' }).defaultPrevented).toBe(true);
  });

  it('every web contents the app creates gets the guards', () => {
    guardAllWebContents(fake.app as never);
    const wc = new fake.FakeWebContents();
    fake.app.emit('web-contents-created', new fake.FakeEvent(), wc);
    expect(wc.fire('will-navigate', 'https://example.com/').defaultPrevented).toBe(true);
    expect(wc.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });
});

describe('the kiosk session', () => {
  it('denies every permission request and check, and every device', () => {
    const ses = fake.session.fromPartition('kiosk');
    hardenSession(ses as never, { rendererRoot: root });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'usb', 'fullscreen', 'openExternal']) {
      let granted: boolean | undefined;
      ses.permissionRequestHandler?.(null, permission, (g) => (granted = g));
      expect(granted, permission).toBe(false);
      expect(ses.permissionCheckHandler?.(null, permission, 'app://kiosk'), permission).toBe(false);
    }
    expect(ses.devicePermissionHandler?.({ deviceType: 'usb' })).toBe(false);
  });

  it('refuses downloads', () => {
    const ses = fake.session.fromPartition('kiosk');
    hardenSession(ses as never, { rendererRoot: root });
    const e = new fake.FakeEvent();
    ses.emit('will-download', e, {});
    expect(e.defaultPrevented).toBe(true);
  });

  it('cancels every request to the network or to file://', () => {
    const ses = fake.session.fromPartition('kiosk');
    hardenSession(ses as never, { rendererRoot: root });
    expect(ses.beforeRequest?.filter.urls).toEqual(BLOCKED_REQUEST_URLS);
    expect(BLOCKED_REQUEST_URLS).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file:///*']));
    let answer: { cancel?: boolean } | undefined;
    ses.beforeRequest?.listener({ url: 'https://example.com/x.js' }, (r) => (answer = r));
    expect(answer).toEqual({ cancel: true });
  });

  it('serves the renderer on app:// through the session it hardened', async () => {
    const ses = fake.session.fromPartition('kiosk');
    hardenSession(ses as never, { rendererRoot: root });
    const res = await ses.protocolHandlers.get('app')!(new Request('app://kiosk/index.html'));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>kiosk</title>');
  });
});

describe('app://kiosk/ path containment', () => {
  it.each([
    ['app://kiosk/', 'index.html'],
    ['app://kiosk/index.html', 'index.html'],
    ['app://kiosk/assets/index-abc.js?v=1#x', 'assets/index-abc.js'],
    ['app://kiosk/assets/a%20b.css', 'assets/a b.css'],
  ])('%s → %s', (url, file) => {
    expect(resolveAppPath(root, url)).toEqual({ ok: true, file: fs.realpathSync(path.join(root, file)) });
  });

  // The URL parser already folds `..` and `%2e%2e` segments at the root (so those reach a missing
  // file, 404); what gets past it (encoded slashes, symlinks) is refused by containment (403).
  it.each([
    ['app://kiosk/../secret.txt', 404],
    ['app://kiosk/%2e%2e/secret.txt', 404],
    ['app://kiosk/assets/%2e%2e%2f%2e%2e%2fsecret.txt', 403],
    ['app://kiosk/..%5csecret.txt', 400],
    ['app://kiosk/index.html%00.js', 400],
    ['app://kiosk/%E0%A4%A', 400],
    ['app://kiosk/assets/link-out.txt', 403],
    ['app://kiosk/up/secret.txt', 403],
    ['app://kiosk/nope.js', 404],
    ['app://other/index.html', 404],
    ['app://kiosk.evil/index.html', 404],
    ['https://kiosk/index.html', 404],
  ] as const)('%s is refused (%i)', (url, status) => {
    expect(resolveAppPath(root, url)).toEqual({ ok: false, status });
  });

  it('a file is served with its type, the CSP and nosniff; HEAD has no body; other methods are refused', async () => {
    const js = await handleAppRequest(root, new Request('app://kiosk/assets/index-abc.js'));
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    const head = await handleAppRequest(root, new Request('app://kiosk/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await handleAppRequest(root, new Request('app://kiosk/index.html', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
  });

  it('an escape attempt gets an empty error response, still with the CSP', async () => {
    const res = await handleAppRequest(root, new Request('app://kiosk/assets/link-out.txt'));
    expect(res.status).toBe(403);
    expect(await res.text()).toBe('');
    expect(res.headers.get('content-security-policy')).toBe(contentSecurityPolicy());
  });

  it('a directory is not listed', async () => {
    expect((await handleAppRequest(root, new Request('app://kiosk/assets'))).status).toBe(404);
  });
});
