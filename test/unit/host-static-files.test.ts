/**
 * The browser host's static file server: which request target names which file (a table over
 * the pure rule), and what a browser gets for files that cannot be read.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guardRequests, guardServer } from '../../electron/host/http-guard';
import { MAX_URL_BYTES, targetPath } from '../../electron/host/request-target';
import { serveStatic, staticTarget } from '../../electron/host/static-files';

const ROOT = '/srv/renderer';

describe('staticTarget', () => {
  it.each<[string, string | undefined, string]>([
    ['GET', '/', '/srv/renderer/index.html'],
    ['HEAD', '/index.html', '/srv/renderer/index.html'],
    ['GET', '/assets/app-1a2b.js?v=3#top', '/srv/renderer/assets/app-1a2b.js'],
    ['GET', '/assets/a%20b.css', '/srv/renderer/assets/a b.css'],
    ['GET', '/a/../index.html', '/srv/renderer/index.html'],
    ['GET', 'http://127.0.0.1:5177/index.html', '/srv/renderer/index.html'],
    ['GET', 'http://127.0.0.1:5177', '/srv/renderer/index.html'],
    ['GET', undefined, '/srv/renderer/index.html'],
  ])('%s %s → %s', (method, url, file) => {
    expect(staticTarget(ROOT, method, url)).toEqual({ ok: true, file });
  });

  it.each<[string, string | undefined, number, string]>([
    ['POST', '/', 405, 'METHOD_NOT_ALLOWED'],
    ['PROPFIND', '/', 405, 'METHOD_NOT_ALLOWED'],
    [undefined as unknown as string, '/', 405, 'METHOD_NOT_ALLOWED'],
    ['GET', '/%', 400, 'BAD_PERCENT_ENCODING'],
    ['GET', '/%E0%A4%A', 400, 'BAD_PERCENT_ENCODING'],
    ['GET', '/foo%zz', 400, 'BAD_PERCENT_ENCODING'],
    ['GET', '/%C0%AF', 400, 'BAD_PERCENT_ENCODING'],
    ['GET', '/index.html%00.png', 400, 'CONTROL_CHARACTER'],
    ['GET', '/x%00y', 400, 'CONTROL_CHARACTER'],
    ['GET', '/a%0d%0aSet-Cookie:%20x', 400, 'CONTROL_CHARACTER'],
    ['GET', '/x\u0000y', 400, 'CONTROL_CHARACTER'],
    ['GET', '/' + 'a'.repeat(MAX_URL_BYTES), 414, 'URI_TOO_LONG'],
    ['GET', '/' + 'é'.repeat(MAX_URL_BYTES / 2), 414, 'URI_TOO_LONG'],
    ['GET', '*', 400, 'BAD_REQUEST_TARGET'],
    ['GET', 'index.html', 400, 'BAD_REQUEST_TARGET'],
    ['GET', 'ftp://x/index.html', 400, 'BAD_REQUEST_TARGET'],
    ['GET', '/../etc/passwd', 403, 'OUTSIDE_ROOT'],
    ['GET', '/%2e%2e/%2e%2e/etc/passwd', 403, 'OUTSIDE_ROOT'],
    ['GET', '/..%2f..%2fetc%2fpasswd', 403, 'OUTSIDE_ROOT'],
    ['GET', '/%2e', 403, 'OUTSIDE_ROOT'],
    ['GET', 'http://x/../../etc/passwd', 403, 'OUTSIDE_ROOT'],
  ])('%s %s → %d %s', (method, url, status, code) => {
    expect(staticTarget(ROOT, method, url)).toEqual({ ok: false, status, code });
  });

  it('takes a target of exactly the limit', () => {
    const url = '/' + 'a'.repeat(MAX_URL_BYTES - 1);
    expect(targetPath(url)).toEqual({ ok: true, path: url });
  });
});

describe('serveStatic over HTTP', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function serve(): Promise<{ root: string; get: (p: string) => Promise<{ status: number; body: string }>; log: string[] }> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kiosk-static-'));
    cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>kiosk</title>');
    fs.mkdirSync(path.join(root, 'assets'));
    const log: string[] = [];
    const server = http.createServer(guardRequests((req, res) => serveStatic(root, req, res, (l) => log.push(l)), (l) => log.push(l)));
    guardServer(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as net.AddressInfo).port;
    const get = (p: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          })
          .on('error', reject);
      });
    return { root, get, log };
  }

  it('serves a file, and 404 for a missing one, a directory, or a name too long for the file system', async () => {
    const s = await serve();
    expect(await s.get('/')).toEqual({ status: 200, body: '<!doctype html><title>kiosk</title>' });
    expect((await s.get('/nope.js')).status).toBe(404);
    expect((await s.get('/assets')).status).toBe(404);
    expect((await s.get('/assets/')).status).toBe(404);
    expect((await s.get('/index.html/x')).status).toBe(404);
    expect((await s.get('/' + 'n'.repeat(300))).status).toBe(404);
    expect(s.log).toEqual([]);
  });

  it('answers 500 for a file that exists but cannot be read, and logs its error code without the path', async () => {
    const s = await serve();
    // open(2) on a Unix socket fails with ENXIO: an unreadable file even for root.
    const sock = net.createServer();
    await new Promise<void>((r) => sock.listen(path.join(s.root, 'secret-name.sock'), r));
    cleanup.push(() => new Promise<void>((r) => sock.close(() => r())));
    expect(await s.get('/secret-name.sock')).toEqual({ status: 500, body: 'internal error' });
    expect(s.log).toHaveLength(1);
    expect(s.log[0]).toContain('ENXIO');
    expect(s.log[0]).not.toContain('secret-name');
    expect((await s.get('/index.html')).status).toBe(200);
  });
});
