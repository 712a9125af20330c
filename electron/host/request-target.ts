/**
 * The path of an HTTP request target, read without trusting it: any page the browser has open
 * can send the host a request (an <img src> on another site), so the target may be anything.
 * Pure string work: no URL parser that could throw, no percent-decoding (callers that need it
 * decode and refuse bad encoding themselves).
 */

/**
 * Longest request target taken, in bytes. The renderer's own URLs are short (hashed asset names,
 * well under 200 bytes); 2 KiB is what the oldest browsers and proxies guarantee, so no legitimate
 * link is longer.
 */
export const MAX_URL_BYTES = 2048;

export type TargetRefusal =
  | { readonly ok: false; readonly status: 414; readonly code: 'URI_TOO_LONG' }
  | { readonly ok: false; readonly status: 400; readonly code: 'BAD_REQUEST_TARGET' | 'CONTROL_CHARACTER' };

// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

const AUTHORITY = /^https?:\/\/[^/]*/i;

/**
 * The still-encoded path of `raw` without query or fragment. Takes origin-form ("/a/b?q") and
 * absolute-form ("http://host/a/b") targets; anything else ("*", garbage) is a bad request.
 */
export function targetPath(raw: string | undefined): { readonly ok: true; readonly path: string } | TargetRefusal {
  const url = raw ?? '/';
  if (Buffer.byteLength(url) > MAX_URL_BYTES) return { ok: false, status: 414, code: 'URI_TOO_LONG' };
  if (CONTROL_CHARACTER.test(url)) return { ok: false, status: 400, code: 'CONTROL_CHARACTER' };
  const bare = url.replace(/[?#].*$/s, '');
  if (bare.startsWith('/')) return { ok: true, path: bare };
  if (AUTHORITY.test(bare)) return { ok: true, path: bare.replace(AUTHORITY, '') || '/' };
  return { ok: false, status: 400, code: 'BAD_REQUEST_TARGET' };
}
