/**
 * Every route, fed malformed, oversized and wrong-typed input: the center answers 4xx with a reason
 * and keeps serving. Mutations are drawn from a seeded generator so a failure replays exactly.
 */
import net from 'node:net';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteDef } from '../../electron/center/schemas';
import { IDENTITY_SIGN, TOKENS, makeCenter, type Fixture } from './center-fixture';
import { prng } from './prng';
import { receiptHex } from '../fakes/receipts';

const WEIRD: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER * 4,
  '',
  ' ',
  'sign',
  'SIGN',
  '0',
  'zz',
  'ＡＢ',
  '\u0000',
  '\ud800',
  'a'.repeat(5000),
  '0'.repeat(65),
  '<script>',
  "' OR 1=1 --",
  [],
  [1, 2],
  {},
  { $gt: '' },
  { __proto__: { admin: true } },
  JSON.parse('{"__proto__": {"x": 1}}'),
  { constructor: { prototype: { x: 1 } } },
];

/** A valid body per route, so single-field mutations probe each field. */
const VALID: Partial<Record<keyof typeof ROUTES, Record<string, unknown>>> = {
  check: { cardId: '0A1B2C', kind: 'sign' },
  authorize: { cardId: '0A1B2C', kind: 'sign', challenge: '0011223344556677', requestId: 'req-00000001', receipt: receiptHex('0A1B2C', 'sign', '0011223344556677') },
  confirm: { bookingId: `bk_${'a'.repeat(32)}`, requestId: 'req-00000001' },
  release: { bookingId: `bk_${'a'.repeat(32)}`, authorizationRequestId: 'az-00000001', requestId: 'rl-00000001', reason: 'not-sent' },
  faceCheck: { cardId: '0A1B2C', passed: false },
  book: { cardId: '0A1B2C', kind: 'sign', identity: IDENTITY_SIGN },
  adminCreate: { cardId: '0A1B2C', kind: 'auth' },
  adminSetClock: { offsetMs: 1000 },
  adminSetMaintenance: { windows: [{ from: 1, until: 2 }] },
};

const RAW_BODIES: Array<{ payload: string | Buffer; contentType?: string }> = [
  { payload: '' },
  { payload: '{' },
  { payload: '{"cardId":' },
  { payload: 'null' },
  { payload: '[]' },
  { payload: '"string"' },
  { payload: '42' },
  { payload: 'true' },
  { payload: '{"a":1,"a":2}' },
  { payload: '{"__proto__":{"polluted":true}}' },
  { payload: '{"constructor":{"prototype":{"polluted":true}}}' },
  { payload: '['.repeat(5000) + ']'.repeat(5000) },
  { payload: '{"cardId":"' + 'A'.repeat(20_000) + '"}' },
  { payload: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
  { payload: 'cardId=0A1B&kind=sign', contentType: 'application/x-www-form-urlencoded' },
  { payload: '{"cardId":"0A1B2C","kind":"sign"}', contentType: 'text/plain' },
  { payload: '--x\r\ncontent-disposition: form-data; name="a"\r\n\r\n1\r\n--x--', contentType: 'multipart/form-data; boundary=x' },
  { payload: '1e309' },
  { payload: '{"offsetMs":1e309}' },
];

const tokenFor = (r: RouteDef) =>
  r.auth === 'kiosk' ? TOKENS.kiosks['kiosk-01'] : r.auth === 'app' ? TOKENS.app : r.auth === 'admin' ? TOKENS.admin : undefined;

let fx: Fixture;
beforeAll(async () => {
  fx = await makeCenter();
});
afterAll(async () => {
  await fx.close();
});

async function send(r: RouteDef, opts: { url?: string; payload?: string | Buffer; contentType?: string | null }) {
  const token = tokenFor(r);
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.contentType !== null) headers['content-type'] = opts.contentType ?? 'application/json';
  const res = await fx.app.inject({
    method: r.method,
    url: opts.url ?? r.url.replace(':cardId', '0A1B2C').replace(':bookingId', `bk_${'a'.repeat(32)}`),
    headers,
    ...(opts.payload !== undefined && { payload: opts.payload }),
  });
  return res;
}

function expect4xx(res: { statusCode: number; body: string }, what: string) {
  expect(res.statusCode, `${what} → ${res.statusCode} ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, `${what} → ${res.statusCode} ${res.body.slice(0, 200)}`).toBeLessThan(500);
  const body = JSON.parse(res.body) as { error?: string; message?: string };
  expect(typeof body.error === 'string' && typeof body.message === 'string', what).toBe(true);
}

const bodyRoutes = Object.entries(ROUTES).filter(([, r]) => 'body' in r.schema) as Array<[keyof typeof ROUTES, RouteDef]>;
const paramRoutes = Object.entries(ROUTES).filter(([, r]) => r.url.includes(':')) as Array<[keyof typeof ROUTES, RouteDef]>;

describe('fuzz: every route answers malformed input with 4xx and a reason', () => {
  it.each(bodyRoutes)('%s: raw malformed bodies and content types', async (_name, r) => {
    for (const b of RAW_BODIES) {
      const res = await send(r, { payload: b.payload, ...(b.contentType && { contentType: b.contentType }) });
      expect4xx(res, `${r.method} ${r.url} ${String(b.payload).slice(0, 40)}`);
    }
    expect4xx(await send(r, { contentType: null }), 'no body, no content type');
    expect4xx(await send(r, { payload: JSON.stringify({ pad: 'x'.repeat(17 * 1024) }) }), 'over the body limit');
  });

  it.each(bodyRoutes)('%s: wrong-typed, missing and extra fields', async (name, r) => {
    const valid = VALID[name];
    expect(valid, `a valid body for ${name}`).toBeDefined();
    if (!valid) return;
    for (const key of Object.keys(valid)) {
      const { [key]: _dropped, ...missing } = valid;
      expect4xx(await send(r, { payload: JSON.stringify(missing) }), `${name} without ${key}`);
      for (const w of WEIRD) {
        const body = { ...valid, [key]: w };
        const res = await send(r, { payload: JSON.stringify(body) });
        const what = `${name}.${key} = ${JSON.stringify(w)?.slice(0, 40)}`;
        // Some odd values are valid for some fields ("sign" for kind, 0 for an offset): those may succeed.
        if (r.schema.body && Value.Check(r.schema.body, JSON.parse(JSON.stringify(body)))) expect(res.statusCode, what).toBeLessThan(500);
        else expect4xx(res, what);
      }
    }
    expect4xx(await send(r, { payload: JSON.stringify({ ...valid, extra: 1 }) }), `${name} with an unknown field`);
  });

  it.each(bodyRoutes)('%s: seeded random mutations: 4xx when invalid, never a 5xx', async (name, r) => {
    const rand = prng(0x5eed ^ name.length);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const valid = VALID[name] ?? {};
    const mutate = (v: unknown, depth: number): unknown => {
      if (depth > 3 || rand() < 0.3) return pick(WEIRD);
      if (Array.isArray(v)) return v.map((x) => (rand() < 0.5 ? mutate(x, depth + 1) : x));
      if (v !== null && typeof v === 'object') {
        const o: Record<string, unknown> = { ...(v as Record<string, unknown>) };
        for (const k of Object.keys(o)) if (rand() < 0.5) o[k] = mutate(o[k], depth + 1);
        if (rand() < 0.2) delete o[pick(Object.keys(o))];
        if (rand() < 0.1) o[pick(['x', 'cardId', 'kind', '__proto__', ''])] = pick(WEIRD);
        return o;
      }
      return pick(WEIRD);
    };
    for (let i = 0; i < 150; i++) {
      const body = mutate(valid, 0);
      const text = JSON.stringify(body) ?? 'null';
      const res = await send(r, { payload: text });
      const what = `${name} #${i} ${text.slice(0, 120)}`;
      if (r.schema.body && Value.Check(r.schema.body, JSON.parse(text))) expect(res.statusCode, what).toBeLessThan(500);
      else expect4xx(res, what);
    }
  });

  it.each(paramRoutes)('%s: malformed path parameters', async (_name, r) => {
    const bad = ['zz', '0', 'A'.repeat(65), 'A'.repeat(200), '%00', '%E0%A4%A', '..%2F..%2Fetc', 'bk_' + 'g'.repeat(32), '%20', 'ａｂ'];
    for (const p of bad) {
      const url = r.url.replace(':cardId', p).replace(':bookingId', p);
      expect4xx(await send(r, { url, ...(r.method !== 'GET' && { contentType: null }) }), `${r.method} ${url}`);
    }
  });

  it('admin list: malformed query strings', async () => {
    const r = ROUTES.adminList;
    for (const q of ['limit=0', 'limit=-1', 'limit=abc', 'limit=100000', 'limit=1.5', 'cardId=zz', 'cardId=', 'x=1', 'limit=1&limit=2', 'cardId[a]=1', '%ZZ']) {
      expect4xx(await send(r, { url: `${r.url}?${q}`, contentType: null }), `GET ${r.url}?${q}`);
    }
  });

  it('unknown routes and methods are 404 with a reason', async () => {
    for (const [method, url] of [
      ['GET', '/'],
      ['DELETE', '/v1/kiosk/check'],
      ['GET', '/v1/kiosk/check'],
      ['POST', '/v1/admin/clock'],
      ['GET', '/v1/../../etc/passwd'],
    ] as const) {
      const res = await fx.app.inject({ method, url, headers: { authorization: `Bearer ${TOKENS.admin}` } });
      expect4xx(res, `${method} ${url}`);
    }
  });

  it('malformed HTTP on a real socket gets a 400 and the center keeps serving', async () => {
    await fx.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = fx.app.server.address() as net.AddressInfo;
    const reply = await new Promise<string>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.write('POST /v1/kiosk/check HTTP/1.1\r\nContent-Length: nope\r\n\r\n{}'));
      let data = '';
      s.on('data', (d) => (data += d.toString('latin1')));
      s.on('close', () => resolve(data));
      s.on('error', () => resolve(data));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
  });
});
