/**
 * The shell's security posture, one function per item of Electron's security checklist
 * (https://www.electronjs.org/docs/latest/tutorial/security; test/unit/electron-security-checklist.test.ts
 * walks it item by item):
 *
 *  - the renderer is served from our own privileged scheme `app://kiosk/` (item 18: no file://),
 *    only files under the renderer directory, with a Content-Security-Policy header (item 7);
 *  - the renderer loads nothing from the network: http(s)/ws(s)/file requests are cancelled
 *    (item 1: there is no remote content at all);
 *  - every permission request and check is denied, downloads too (item 5);
 *  - navigation, redirects, new windows and <webview> are refused in every web contents (items
 *    11–14), and shell.openExternal is never called (item 15).
 *
 * Everything decidable without Electron is a pure function here, so the tests run under Node.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { App, CustomScheme, Session, WebContents } from 'electron';

/** The renderer's origin: a standard, secure scheme of our own (not file://, see item 18). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'kiosk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The scheme's privileges (protocol.registerSchemesAsPrivileged, before `ready`):
 *  - standard: real origins and relative URLs, so `'self'` in the CSP means app://kiosk;
 *  - secure: a secure context like https;
 *  - supportFetchAPI: the page's own module scripts and assets are fetched through it.
 * Not granted: bypassCSP (the CSP must apply), corsEnabled (nothing else may read our files),
 * allowServiceWorkers, stream, codeCache (not needed; less surface).
 */
export function privilegedSchemes(): CustomScheme[] {
  return [{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }];
}

/**
 * The Content-Security-Policy header on every response of app://kiosk (the renderer's own meta tag
 * also applies; a page obeys both, so the header can only narrow it). 'unsafe-inline' for styles
 * only, as the renderer's meta has it (Vue binds style attributes); never for scripts, and no
 * 'unsafe-eval' anywhere (the contract validates with TypeBox's interpreter, not its JIT).
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** True for a URL of our own renderer, parsed (a prefix test would let app://kiosk.evil through). */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/**
 * Navigation policy (items 13, 14). The renderer is a single page that never navigates: screens
 * change by snapshot. A renderer-initiated navigation is allowed only within our own files; every
 * other target (http, file, javascript:, another scheme) is refused. Programmatic loads by the
 * main process (loadURL) do not pass through here.
 */
export function navigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

/**
 * What the renderer's session may never request, as Chromium URL match patterns (file: has no
 * host, hence `file:///*`): the kiosk shows no remote content at all.
 */
export const BLOCKED_REQUEST_URLS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file:///*'];

// ---------------------------------------------------------------------------------------------
// app://kiosk/ — serving the renderer

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

export type AppPathResult = { readonly ok: true; readonly file: string } | { readonly ok: false; readonly status: 400 | 403 | 404 };

/**
 * Maps an app://kiosk/ URL to a file under `root`, or says why not. Path containment is checked
 * twice: lexically (no `..`, no absolute path, no NUL), then on the real path (a symlink inside
 * the renderer directory may not lead out of it). Query and hash are ignored.
 */
export function resolveAppPath(root: string, url: string): AppPathResult {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, status: 400 };
  }
  if (!isAppUrl(url)) return { ok: false, status: 404 };
  let pathname: string;
  try {
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return { ok: false, status: 400 };
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const base = path.resolve(root);
  const file = path.resolve(base, '.' + pathname);
  const rel = path.relative(base, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return { ok: false, status: 403 };
  let real: string;
  let realBase: string;
  try {
    realBase = fs.realpathSync(base);
    real = fs.realpathSync(file);
  } catch {
    return { ok: false, status: 404 };
  }
  const realRel = path.relative(realBase, real);
  if (realRel === '' || realRel.startsWith('..') || path.isAbsolute(realRel)) return { ok: false, status: 403 };
  return { ok: true, file: real };
}

/** Headers on every app:// response, errors included. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    'content-security-policy': contentSecurityPolicy(),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cache-control': 'no-cache',
  };
}

function readFile(file: string): Promise<Buffer> {
  // The callback API: Electron's asar support covers it for a packaged app.
  return new Promise((resolve, reject) => fs.readFile(file, (err, data) => (err ? reject(err) : resolve(data))));
}

/** The protocol handler of app://kiosk/ (protocol.handle): GET and HEAD of files under `root`. */
export async function handleAppRequest(root: string, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response(null, { status: 405, headers: { ...appResponseHeaders('text/plain; charset=utf-8'), allow: 'GET, HEAD' } });
  }
  const resolved = resolveAppPath(root, request.url);
  if (!resolved.ok) return new Response(null, { status: resolved.status, headers: appResponseHeaders('text/plain; charset=utf-8') });
  let body: Buffer;
  try {
    body = await readFile(resolved.file);
  } catch {
    // A directory, or a file gone since: the same answer as a missing file.
    return new Response(null, { status: 404, headers: appResponseHeaders('text/plain; charset=utf-8') });
  }
  const type = CONTENT_TYPES[path.extname(resolved.file).toLowerCase()] ?? 'application/octet-stream';
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: appResponseHeaders(type) });
}

// ---------------------------------------------------------------------------------------------
// Wiring (needs Electron objects; tests pass fakes)

export interface HardenSessionOptions {
  /** The built renderer (out/renderer). */
  readonly rendererRoot: string;
}

/**
 * Hardens the session the kiosk's windows use: our protocol, no permissions, no downloads, no
 * network. The session is an in-memory partition, so nothing a citizen did outlives the app.
 */
export function hardenSession(ses: Session, opts: HardenSessionOptions): void {
  ses.protocol.handle(APP_SCHEME, (request) => handleAppRequest(opts.rendererRoot, request));
  // Item 5: the kiosk needs no camera, microphone, notifications, geolocation, HID, serial, USB…
  ses.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.on('will-download', (event) => event.preventDefault());
  // Item 1: no remote content is loaded at all, so anything on the network is cancelled.
  ses.webRequest.onBeforeRequest({ urls: BLOCKED_REQUEST_URLS }, (_details, callback) => callback({ cancel: true }));
}

/** Guards one web contents against navigation, redirects, new windows and <webview> (items 11–15). */
export function guardWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!navigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!navigationAllowed(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!navigationAllowed(url)) event.preventDefault();
  });
  // No window.open, no target=_blank: the kiosk has exactly the windows the main process makes.
  // Nothing is handed to shell.openExternal either (item 15).
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // webviewTag is off; refuse an attach anyway should anything turn it on (items 11, 12).
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Applies guardWebContents to every web contents the app ever creates (items 13, 14). */
export function guardAllWebContents(app: App): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
}
