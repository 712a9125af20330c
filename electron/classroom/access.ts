/**
 * Who may open what on a classroom host: the rule as a pure function of the request, so the host
 * only carries its answer out (and the table test can read it).
 *
 * - `/console/…` is the trainer's: its socket needs the trainer's token (`?t=`).
 * - `/s/<n>/…` is station n's page. On a LAN host the page and its socket need that station's join
 *   code (`?code=`); a code of another station is refused like a wrong one. On a loopback host
 *   (the default) only this machine can connect, and no code is asked.
 * - Sockets also need the host's own origin (checked by the endpoint, kiosk-ws.ts).
 */
import crypto from 'node:crypto';
import type { Audience } from '../contract/methods';

export type Route =
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'static'; readonly path: string }
  | { readonly kind: 'station-page'; readonly n: number; readonly path: string }
  | { readonly kind: 'station-socket'; readonly n: number; readonly audiences: ReadonlySet<Audience> }
  | { readonly kind: 'console-socket'; readonly audiences: ReadonlySet<Audience> }
  | { readonly kind: 'refused'; readonly status: 401 | 403 | 404; readonly reason: RefusalReason };

export type RefusalReason = 'not-found' | 'no-such-station' | 'join-code-needed' | 'wrong-join-code' | 'trainer-token-needed' | 'wrong-trainer-token';

/** A trainee's page: the citizen's screen, its card tray and its phone; never the trainer's tools. */
export const STATION_AUDIENCES: ReadonlySet<Audience> = new Set(['kiosk', 'tray', 'app']);
export const CONSOLE_AUDIENCES: ReadonlySet<Audience> = new Set(['console']);

export interface AccessConfig {
  readonly stations: number;
  /** Station pages ask for join codes (a LAN host). */
  readonly lan: boolean;
  readonly trainerToken: string;
  /** Station n's join code at index n − 1. */
  readonly joinCodes: readonly string[];
}

/** Equal strings, compared in time that says nothing about where they differ. */
export function sameSecret(given: string, expected: string): boolean {
  const a = crypto.hash('sha256', given, 'buffer');
  const b = crypto.hash('sha256', expected, 'buffer');
  return crypto.timingSafeEqual(a, b);
}

const STATION_PATH = /^\/s\/(\d{1,2})(\/.*)?$/;

/** What the host does with a request for `path` (already stripped of its query) with `query`. */
export function routeRequest(path: string, query: URLSearchParams, socket: boolean, cfg: AccessConfig): Route {
  if (path === '/' || path === '/console') return socket ? refused(404, 'not-found') : { kind: 'redirect', location: '/console/' };
  if (path === '/console/ws') {
    if (!socket) return refused(404, 'not-found');
    const t = query.get('t');
    if (t === null || t === '') return refused(401, 'trainer-token-needed');
    return sameSecret(t, cfg.trainerToken) ? { kind: 'console-socket', audiences: CONSOLE_AUDIENCES } : refused(403, 'wrong-trainer-token');
  }
  if (path.startsWith('/console/')) return socket ? refused(404, 'not-found') : { kind: 'static', path: path.slice('/console'.length) };

  const m = STATION_PATH.exec(path);
  if (m === null) return refused(404, 'not-found');
  const n = Number(m[1]);
  if (n < 1 || n > cfg.stations || String(n) !== m[1]) return refused(404, 'no-such-station');
  const rest = m[2] ?? '';
  if (rest === '') return socket ? refused(404, 'not-found') : { kind: 'redirect', location: `/s/${n}/${query.size > 0 ? `?${query.toString()}` : ''}` };
  const isPage = rest === '/' || rest === '/index.html';
  const isSocket = rest === '/ws';
  if (socket !== isSocket) return refused(404, 'not-found');
  if (!isPage && !isSocket) return { kind: 'static', path: rest };
  if (cfg.lan) {
    const code = query.get('code');
    if (code === null || code === '') return refused(401, 'join-code-needed');
    if (!sameSecret(code.toUpperCase(), cfg.joinCodes[n - 1] ?? '')) return refused(403, 'wrong-join-code');
  }
  return isSocket ? { kind: 'station-socket', n, audiences: STATION_AUDIENCES } : { kind: 'station-page', n, path: '/index.html' };
}

function refused(status: 401 | 403 | 404, reason: RefusalReason): Route {
  return { kind: 'refused', status, reason };
}

/** Letters and digits a trainee cannot misread (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** `count` distinct join codes of `length` characters. */
export function newJoinCodes(count: number, length = 6): string[] {
  const codes = new Set<string>();
  while (codes.size < count) {
    codes.add(Array.from({ length }, () => CODE_ALPHABET[crypto.randomInt(CODE_ALPHABET.length)]).join(''));
  }
  return [...codes];
}

export const newTrainerToken = (): string => crypto.randomBytes(24).toString('base64url');
