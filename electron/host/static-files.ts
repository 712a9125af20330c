/**
 * Serves the built renderer (out/renderer) to a browser. Only files under the root, only GET/HEAD,
 * with the same Content-Security-Policy the Electron window uses.
 *
 * Any page the browser has open can make requests to the host (an <img src> on another site), so
 * a request target is untrusted input: whatever it is, the answer is a status, never a thrown
 * exception (which would end the host for everyone).
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { describeFault, stderrLog, type HostLog } from './faults';
import { CONTROL_CHARACTER, targetPath, type TargetRefusal } from './request-target';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Why a request is refused, with the status it gets. */
export type StaticRefusal =
  | TargetRefusal
  | { readonly ok: false; readonly status: 405; readonly code: 'METHOD_NOT_ALLOWED' }
  | { readonly ok: false; readonly status: 400; readonly code: 'BAD_PERCENT_ENCODING' }
  | { readonly ok: false; readonly status: 403; readonly code: 'OUTSIDE_ROOT' };

export type StaticTarget = { readonly ok: true; readonly file: string } | StaticRefusal;

/** The file a request names under `root`, or why it names none. Pure (no file system access). */
export function staticTarget(root: string, method: string | undefined, rawUrl: string | undefined): StaticTarget {
  if (method !== 'GET' && method !== 'HEAD') return { ok: false, status: 405, code: 'METHOD_NOT_ALLOWED' };
  const target = targetPath(rawUrl);
  if (!target.ok) return target;
  let decoded: string;
  try {
    decoded = decodeURIComponent(target.path);
  } catch {
    return { ok: false, status: 400, code: 'BAD_PERCENT_ENCODING' };
  }
  // %00 and friends: a NUL makes fs throw, and no file of the renderer has a control character.
  if (CONTROL_CHARACTER.test(decoded)) return { ok: false, status: 400, code: 'CONTROL_CHARACTER' };
  const base = path.resolve(root);
  const file = path.resolve(base, '.' + (decoded === '/' ? '/index.html' : decoded));
  if (!file.startsWith(base + path.sep)) return { ok: false, status: 403, code: 'OUTSIDE_ROOT' };
  return { ok: true, file };
}

/** Read errors that mean "no such file here": a directory, a path through a file, a name too long. */
const NOT_FOUND = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG', 'ELOOP']);

const TEXT = { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' };

const REASON: Record<StaticRefusal['status'] | 404 | 500, string> = {
  400: 'bad request',
  403: 'forbidden',
  404: 'not found',
  405: 'method not allowed',
  414: 'request target too long',
  500: 'internal error',
};

function answer(res: http.ServerResponse, status: keyof typeof REASON, extra: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { ...TEXT, ...extra }).end(REASON[status]);
}

/**
 * Answers one request from the files under `root`: a refused target gets its 4xx, a missing
 * file 404, any other read error 500 (logged by class and code). Nothing the request holds makes
 * it throw; the host still runs it under guardRequests (http-guard.ts) for its own bugs.
 */
export async function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse, log: HostLog = stderrLog): Promise<void> {
  const target = staticTarget(root, req.method, req.url);
  if (!target.ok) return answer(res, target.status, target.status === 405 ? { allow: 'GET, HEAD' } : {});
  let body: Buffer;
  try {
    body = await fs.promises.readFile(target.file);
  } catch (err) {
    if (NOT_FOUND.has((err as NodeJS.ErrnoException).code ?? '')) return answer(res, 404);
    log(`browser host: reading a renderer file failed: ${describeFault(err)}`);
    if (!res.headersSent) return answer(res, 500);
    res.destroy();
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[path.extname(target.file)] ?? 'application/octet-stream',
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
