/**
 * No request can kill the browser host. Its real server (browser-host.ts) is fed malformed HTTP
 * (bad percent-encoding, NUL, overlong targets and headers, odd methods, garbage, malformed
 * upgrades), malformed WebSocket frames and messages — fixed cases, then a few hundred drawn from
 * a seeded generator, so a failure replays exactly. Each must be answered with a 4xx (or a closed
 * socket; for WebSocket messages, a refusal), never a hang; after each batch the page still loads
 * and a new window.kiosk connection still gets its snapshot.
 */
import crypto from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, type ServerMessage } from '../../electron/contract/wire';
import { rawExchange, request, startTestHost, stillServes, verdict, wsClient, INDEX_HTML, type TestHost } from './host-fixture';
import { prng } from './prng';

let h: TestHost;
beforeAll(async () => {
  h = await startTestHost();
});
afterAll(async () => {
  await h.close();
});

/** The page, and a snapshot of whatever screen the core is on (random messages may have moved it). */
const SERVES = { page: 200, body: INDEX_HTML, snapshot: expect.stringMatching(/^[a-z-]+$/) };

// ---------------------------------------------------------------------------------------------
// HTTP

describe('malformed HTTP requests', () => {
  const upgrade = (target: string, extra: readonly string[]) =>
    request(`GET ${target} HTTP/1.1`, ['Host: 127.0.0.1', 'Connection: Upgrade', 'Upgrade: websocket', ...extra]);
  const handshake = ['Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=='];

  // [what, bytes, expected: a status, or 'closed'; end: the client sends FIN after the bytes]
  const CASES: [string, () => string | Buffer, number | 'closed', boolean?][] = [
    ['a lone percent sign', () => request('GET /% HTTP/1.1'), 400],
    ['a truncated UTF-8 escape', () => request('GET /%E0%A4%A HTTP/1.1'), 400],
    ['a non-hex escape', () => request('GET /foo%zz HTTP/1.1'), 400],
    ['an overlong UTF-8 escape', () => request('GET /%C0%AF HTTP/1.1'), 400],
    ['an encoded NUL before an extension', () => request('GET /index.html%00.png HTTP/1.1'), 400],
    ['an encoded NUL inside a name', () => request('GET /x%00y HTTP/1.1'), 400],
    ['an encoded CR LF', () => request('GET /a%0d%0aSet-Cookie:%20x HTTP/1.1'), 400],
    ['a raw NUL in the target', () => request('GET /x\u0000y HTTP/1.1'), 400],
    ['raw bytes above ASCII in the target', () => Buffer.from(request('GET /\xff\xfe HTTP/1.1'), 'latin1'), 400],
    ['a 3 KiB target', () => request(`GET /${'a'.repeat(3000)} HTTP/1.1`), 414],
    ['a 100 KiB target', () => request(`GET /${'a'.repeat(100_000)} HTTP/1.1`), 431],
    ['a 20 KiB header', () => request('GET / HTTP/1.1', ['Host: x', `X-Pad: ${'a'.repeat(20_000)}`]), 431],
    ['a header name with a space', () => request('GET / HTTP/1.1', ['Ho st: x']), 400],
    ['a header line without a colon', () => request('GET / HTTP/1.1', ['Host: x', 'garbage']), 400],
    ['a non-numeric Content-Length', () => request('GET / HTTP/1.1', ['Host: x', 'Content-Length: abc']), 400],
    ['POST with a broken chunked body (the method is refused first)', () => request('POST / HTTP/1.1', ['Host: x', 'Transfer-Encoding: chunked']) + 'zz\r\n', 405],
    ['an unknown HTTP version', () => request('GET / HTTP/9.9'), 400],
    ['a path outside the root', () => request('GET /../../etc/passwd HTTP/1.1'), 403],
    ['an encoded path outside the root', () => request('GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1'), 403],
    ['an asterisk target', () => request('GET * HTTP/1.1'), 400],
    ['PROPFIND', () => request('PROPFIND / HTTP/1.1'), 405],
    ['DELETE', () => request('DELETE /index.html HTTP/1.1'), 405],
    ['POST with a body', () => request('POST / HTTP/1.1', ['Host: x', 'Content-Length: 5']) + 'hello', 405],
    ['OPTIONS *', () => request('OPTIONS * HTTP/1.1'), 405],
    ['TRACE', () => request('TRACE / HTTP/1.1'), 405],
    ['CONNECT', () => request('CONNECT 127.0.0.1:22 HTTP/1.1'), 405],
    ['a made-up method', () => request('FROB / HTTP/1.1'), 400],
    ['a lower-case method', () => request('get / HTTP/1.1'), 400],
    ['garbage', () => 'garbage\r\n\r\n', 400],
    ['a request line only, then the end', () => 'GET / HTTP/1.1\r\n', 400, true],
    ['a bare blank line, then the end', () => '\r\n\r\n', 'closed', true],
    ['nothing, then the end', () => '', 'closed', true],
    ['an upgrade without Origin', () => upgrade('/kiosk', handshake), 403],
    ['an upgrade from another origin', () => upgrade('/kiosk', ['Origin: http://evil.example', ...handshake]), 403],
    ['an upgrade without a key', () => upgrade('/kiosk', [`Origin: ${h.origin}`, 'Sec-WebSocket-Version: 13']), 400],
    ['an upgrade with a malformed key', () => upgrade('/kiosk', [`Origin: ${h.origin}`, 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: x']), 400],
    ['an upgrade of an unknown version', () => upgrade('/kiosk', [`Origin: ${h.origin}`, 'Sec-WebSocket-Version: 99', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==']), 400],
    ['an upgrade to h2c', () => request('GET /kiosk HTTP/1.1', ['Host: x', 'Connection: Upgrade', 'Upgrade: h2c', `Origin: ${h.origin}`, ...handshake]), 400],
    ['an upgrade with a malformed subprotocol list', () => upgrade('/kiosk', [`Origin: ${h.origin}`, ...handshake, 'Sec-WebSocket-Protocol: a b,,']), 400],
    ['an upgrade to another path', () => upgrade('/index.html', [`Origin: ${h.origin}`, ...handshake]), 404],
    ['an upgrade to a badly encoded path', () => upgrade('/%', [`Origin: ${h.origin}`, ...handshake]), 404],
    ['an upgrade to an asterisk', () => upgrade('*', [`Origin: ${h.origin}`, ...handshake]), 400],
    ['an upgrade to a 3 KiB path', () => upgrade(`/${'k'.repeat(3000)}`, [`Origin: ${h.origin}`, ...handshake]), 414],
  ];

  it.each(CASES)('%s', async (_what, bytes, expected, end) => {
    const a = await rawExchange(h.port, bytes(), { end: end ?? false });
    if (expected === 'closed') expect(verdict(a)).toBe('closed');
    else expect({ status: a.status, head: a.head }).toMatchObject({ status: expected });
  });

  it('still serves after all of them', async () => {
    expect(await stillServes(h)).toEqual(SERVES);
  });

  /** A request with at least one defect a well-formed browser request never has, plus harmless noise. */
  function randomBadRequest(rand: () => number): Buffer {
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const noise = () => Array.from({ length: Math.floor(rand() * 6) }, () => pick(['a', 'Z', '0', '/', '.', '-', '_', '~'])).join('');
    const defects: (() => { method?: string; target?: string; headers?: string[] })[] = [
      () => ({ target: `/${noise()}${pick(['%', '%z', '%zz', '%E0%A4%A', '%C0%AF', '%F0%9F', '%ED%A0%80'])}${noise()}` }),
      () => ({ target: `/${noise()}${pick(['%00', '%01', '%0a', '%0d', '%1f', '%7f'])}${noise()}` }),
      () => ({ target: `/${noise()}${pick(['\u0000', '\u0001', '\u007f', '\u00ff', '\u0080'])}${noise()}` }),
      () => ({ target: `/${'x'.repeat(2049 + Math.floor(rand() * 30_000))}` }),
      () => ({ target: `/${pick(['..', '%2e%2e', '.%2e'])}/${pick(['..', '%2e%2e'])}/${pick(['etc/passwd', 'root/.ssh/id_rsa', ''])}` }),
      () => ({ target: pick(['*', 'index.html', 'ftp://x/', '\\\\server\\share', '']) }),
      () => ({ method: pick(['PROPFIND', 'MKCOL', 'PATCH', 'PUT', 'DELETE', 'POST', 'OPTIONS', 'TRACE', 'COPY', 'LOCK', 'SEARCH', 'PURGE']) }),
      () => ({ method: Array.from({ length: 1 + Math.floor(rand() * 10) }, () => String.fromCharCode(33 + Math.floor(rand() * 94))).join('') }),
      () => ({ headers: [pick(['Ho st: x', 'NoColon', ': empty', `X: ${'y'.repeat(17_000)}`, 'Content-Length: -1', 'Content-Length: 1, 2', 'Transfer-Encoding: chunked, identity', 'X\u0000: y'])] }),
    ];
    const d = pick(defects)();
    const method = d.method ?? pick(['GET', 'HEAD']);
    const target = d.target ?? `/${noise()}`;
    const headers = ['Host: 127.0.0.1', ...(d.headers ?? [])];
    return Buffer.from(request(`${method} ${target} HTTP/1.1`, headers), 'latin1');
  }

  it.each([1, 2, 3, 4, 5, 6])('300 random malformed requests, batch %i of 50, each answered 4xx or closed', async (batch) => {
    const rand = prng(0x5177 + batch);
    const odd: string[] = [];
    for (let i = 0; i < 50; i++) {
      const bytes = randomBadRequest(rand);
      const a = await rawExchange(h.port, bytes, { end: true });
      const v = verdict(a);
      if (v !== '4xx' && v !== 'closed') odd.push(`${v}: ${JSON.stringify(bytes.toString('latin1').slice(0, 80))} → ${JSON.stringify(a.head)}`);
    }
    expect(odd).toEqual([]);
    expect(await stillServes(h)).toEqual(SERVES);
  });
});

// ---------------------------------------------------------------------------------------------
// WebSocket messages (well-formed frames, malformed content)

const SECRET = 'K7Q2M9X4P1';

/** Messages that are well-formed, to mutate. */
const VALID = [
  { type: 'call', id: 1, method: 'getSnapshot' },
  { type: 'call', id: 2, method: 'send', intent: { type: 'choose-service', service: 'admin' } },
  { type: 'call', id: 3, method: 'send', intent: { type: 'submit-new-password', value: SECRET } },
  { type: 'call', id: 4, method: 'getSettings' },
  { type: 'call', id: 5, method: 'updateSettings', patch: { chain: 'lawson' } },
  { type: 'call', id: 6, method: 'placeCard', name: 'adult' },
  { type: 'call', id: 7, method: 'sendApp', intent: { type: 'submit-other-password', value: '1234' } },
];

const WEIRD: unknown[] = [null, true, -1, 1.5, 2 ** 60, '', 'x'.repeat(300), SECRET.repeat(5), [], {}, { __proto__: { admin: true } }, [[[[[]]]]]];

/** A mutation of a valid message; may, rarely, still be valid. */
function mutate(rand: () => number): string | Buffer {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const msg = structuredClone(pick(VALID)) as Record<string, unknown>;
  const target = msg.intent !== undefined && rand() < 0.5 ? (msg.intent as Record<string, unknown>) : msg;
  const keys = Object.keys(target);
  switch (Math.floor(rand() * 7)) {
    case 0:
      delete target[pick(keys)];
      break;
    case 1:
      target[pick(keys)] = pick(WEIRD);
      break;
    case 2:
      target[pick(['extra', 'pin', '__proto__', 'constructor', 'value'])] = pick(WEIRD);
      break;
    case 3:
      msg.method = pick(['resetCard', 'eval', 'send ', 'SEND', '', 'constructor', 'toString']);
      break;
    case 4: {
      const text = JSON.stringify(msg);
      return text.slice(0, Math.floor(rand() * text.length));
    }
    case 5: {
      const text = JSON.stringify(msg);
      const at = Math.floor(rand() * text.length);
      return text.slice(0, at) + pick(['\u0000', '}', '{', ',', '"', '\\', '\ud800', 'NaN']) + text.slice(at);
    }
    default:
      return Buffer.from(JSON.stringify(msg));
  }
  return JSON.stringify(msg);
}

describe('malformed WebSocket messages', () => {
  /** Sends frames on one new connection; every one gets exactly one reply, none of them quoting the secret. */
  async function sendAll(frames: readonly (string | Buffer)[]): Promise<Extract<ServerMessage, { type: 'reply' }>[]> {
    const c = await wsClient(h);
    try {
      for (const f of frames) c.ws.send(f, { binary: Buffer.isBuffer(f) });
      const replies: Extract<ServerMessage, { type: 'reply' }>[] = [];
      while (replies.length < frames.length) {
        const m = await c.next();
        if (m.type === 'reply') replies.push(m);
      }
      return replies;
    } finally {
      c.ws.terminate();
    }
  }

  it.each<[string, string | Buffer, number | null]>([
    ['not JSON', '{nope', null],
    ['an empty frame', '', null],
    ['JSON null', 'null', null],
    ['a JSON array', '[]', null],
    ['a JSON string', '"call"', null],
    ['a number too large for a double', '1e999', null],
    ['a binary frame', Buffer.from(JSON.stringify(VALID[0])), null],
    ['a call without an id', JSON.stringify({ type: 'call', method: 'getSnapshot' }), null],
    ['a negative id', JSON.stringify({ type: 'call', id: -1, method: 'getSnapshot' }), null],
    ['an unknown method', JSON.stringify({ type: 'call', id: 11, method: 'resetCard' }), 11],
    ['an unknown intent', JSON.stringify({ type: 'call', id: 12, method: 'send', intent: { type: 'format-card' } }), 12],
    ['an over-long password', JSON.stringify({ type: 'call', id: 13, method: 'send', intent: { type: 'submit-new-password', value: SECRET.repeat(5) } }), 13],
    ['a password with a smuggled field', JSON.stringify({ type: 'call', id: 14, method: 'send', intent: { type: 'agree', pin: SECRET } }), 14],
    ['a prototype key', '{"type":"call","id":15,"method":"getSnapshot","__proto__":{"admin":true}}', 15],
    ['JSON nested 10 000 deep', '['.repeat(10_000) + ']'.repeat(10_000), null],
    ['a lone surrogate', JSON.stringify({ type: 'call', id: 16, method: 'placeCard', name: '\ud800' }), 16],
  ])('%s: refused with INVALID_MESSAGE, the value never echoed', async (_what, frame, id) => {
    const [r] = await sendAll([frame]);
    expect(r).toMatchObject({ type: 'reply', id, ok: false, error: { code: 'INVALID_MESSAGE' } });
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });

  it('a frame over the size limit closes that connection (1009), and only that one', async () => {
    const other = await wsClient(h);
    const c = await wsClient(h);
    c.ws.send('x'.repeat(MAX_MESSAGE_BYTES + 1));
    expect(await c.closed).toBe(1009);
    other.ws.send(JSON.stringify({ type: 'call', id: 1, method: 'getSnapshot' }));
    let m = await other.next();
    while (m.type !== 'reply') m = await other.next();
    expect(m).toMatchObject({ id: 1, ok: true });
    other.ws.terminate();
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])('300 random mutations of valid messages, batch %i of 30: one answer each, never INTERNAL', async (batch) => {
    const rand = prng(0xc0ffee + batch);
    const frames = Array.from({ length: 30 }, () => mutate(rand));
    const replies = await sendAll(frames);
    expect(replies).toHaveLength(30);
    const codes = new Set(replies.map((r) => (r.ok ? 'ok' : r.error.code)));
    // No virtual cards or app on this host: a mutation that stays valid for those is UNSUPPORTED.
    expect([...codes].filter((c) => !['ok', 'INVALID_MESSAGE', 'UNSUPPORTED'].includes(c))).toEqual([]);
    expect(codes.has('INVALID_MESSAGE')).toBe(true);
    for (const r of replies) if (!r.ok) expect(r.error.message).not.toContain(SECRET);
    expect(h.logs.join('\n')).not.toContain(SECRET);
    expect(await stillServes(h)).toEqual(SERVES);
  });
});

// ---------------------------------------------------------------------------------------------
// WebSocket frames (malformed framing, over raw TCP)

/** One WebSocket frame as bytes, with every field settable (client frames are masked unless told). */
function frame(o: { fin?: boolean; rsv?: number; opcode: number; payload?: Buffer; masked?: boolean; length?: bigint }): Buffer {
  const payload = o.payload ?? Buffer.alloc(0);
  const masked = o.masked ?? true;
  const len = o.length ?? BigInt(payload.length);
  const head = [((o.fin ?? true) ? 0x80 : 0) | ((o.rsv ?? 0) << 4) | o.opcode];
  const m = masked ? 0x80 : 0;
  let ext = Buffer.alloc(0);
  if (len < 126n) head.push(m | Number(len));
  else if (len < 65536n) {
    head.push(m | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(Number(len));
  } else {
    head.push(m | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(len);
  }
  const key = masked ? crypto.randomBytes(4) : Buffer.alloc(0);
  const body = masked ? Buffer.from(payload.map((b, i) => b ^ key[i % 4]!)) : payload;
  return Buffer.concat([Buffer.from(head), ext, key, body]);
}

const closeCode = (code: number, extra = Buffer.alloc(0)) => Buffer.concat([Buffer.from([code >> 8, code & 0xff]), extra]);

/** A raw WebSocket on the kiosk path: handshake done, then the test writes bytes and watches for the host's close. */
async function rawSocket(): Promise<{ write(b: Buffer): void; end(): void; closed(timeoutMs?: number): Promise<{ closed: boolean; code: number | null }> }> {
  const socket = net.connect(h.port, '127.0.0.1');
  socket.on('error', () => undefined);
  let got = Buffer.alloc(0);
  let closed = false;
  socket.on('data', (d: Buffer) => (got = Buffer.concat([got, d])));
  socket.on('close', () => (closed = true));
  await new Promise<void>((r) => socket.once('connect', () => r()));
  socket.write(
    request('GET /kiosk HTTP/1.1', [
      `Host: 127.0.0.1:${h.port}`,
      `Origin: ${h.origin}`,
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 13',
      `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}`,
    ]),
  );
  for (let i = 0; got.indexOf('\r\n\r\n') < 0; i++) {
    if (i > 300) throw new Error('no handshake answer');
    await new Promise((r) => setTimeout(r, 10));
  }
  expect(got.toString('latin1')).toMatch(/^HTTP\/1\.1 101 /);
  const frames = () => got.subarray(got.indexOf('\r\n\r\n') + 4);
  /** The code of the host's close frame, if it sent one (server frames are unmasked). */
  const codeOf = (b: Buffer): number | null => {
    let at = 0;
    while (at + 2 <= b.length) {
      const op = b[at]! & 0x0f;
      let len = b[at + 1]! & 0x7f;
      let hdr = 2;
      if (len === 126) {
        len = b.readUInt16BE(at + 2);
        hdr = 4;
      } else if (len === 127) {
        len = Number(b.readBigUInt64BE(at + 2));
        hdr = 10;
      }
      if (op === 0x8) return len >= 2 ? b.readUInt16BE(at + hdr) : null;
      at += hdr + len;
    }
    return null;
  };
  return {
    write: (b) => void socket.write(b),
    end: () => void socket.end(),
    async closed(timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      while (!closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      socket.destroy();
      return { closed, code: codeOf(frames()) };
    },
  };
}

describe('malformed WebSocket frames', () => {
  it.each<[string, number, () => Buffer]>([
    ['an unmasked client frame', 1002, () => frame({ opcode: 1, payload: Buffer.from('{}'), masked: false })],
    ['a reserved opcode', 1002, () => frame({ opcode: 3, payload: Buffer.from('x') })],
    ['RSV1 without a negotiated extension', 1002, () => frame({ opcode: 1, rsv: 4, payload: Buffer.from('{}') })],
    ['a ping longer than 125 bytes', 1002, () => frame({ opcode: 9, payload: Buffer.alloc(126) })],
    ['a fragmented ping', 1002, () => frame({ opcode: 9, fin: false, payload: Buffer.from('x') })],
    ['a continuation with nothing to continue', 1002, () => frame({ opcode: 0, payload: Buffer.from('x') })],
    ['a new message inside a fragmented one', 1002, () => Buffer.concat([frame({ opcode: 1, fin: false, payload: Buffer.from('{') }), frame({ opcode: 1, payload: Buffer.from('}') })])],
    ['a length of 2^63', 1009, () => frame({ opcode: 1, length: 2n ** 63n })],
    ['a length over the message limit', 1009, () => frame({ opcode: 1, length: BigInt(MAX_MESSAGE_BYTES + 1) })],
    ['fragments adding up over the limit', 1009, () => Buffer.concat([frame({ opcode: 1, fin: false, payload: Buffer.alloc(MAX_MESSAGE_BYTES / 2 + 1, 0x20) }), frame({ opcode: 0, fin: false, payload: Buffer.alloc(MAX_MESSAGE_BYTES / 2 + 1, 0x20) })])],
    ['text that is not UTF-8', 1007, () => frame({ opcode: 1, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) })],
    ['a close frame of one byte', 1002, () => frame({ opcode: 8, payload: Buffer.from([3]) })],
    ['a close frame with an invalid code', 1002, () => frame({ opcode: 8, payload: closeCode(999) })],
    ['a close reason that is not UTF-8', 1007, () => frame({ opcode: 8, payload: closeCode(1000, Buffer.from([0xff])) })],
  ])('%s: the host closes that connection with %i', async (_what, code, bytes) => {
    const s = await rawSocket();
    s.write(bytes());
    expect(await s.closed()).toEqual({ closed: true, code });
  });

  it('a proper close is answered with a close', async () => {
    const s = await rawSocket();
    s.write(frame({ opcode: 8, payload: closeCode(1000) }));
    expect(await s.closed()).toEqual({ closed: true, code: 1000 });
  });

  it('still serves after all of them', async () => {
    expect(await stillServes(h)).toEqual(SERVES);
  });

  it.each([1, 2, 3, 4])('100 random frames, batch %i of 25: each connection closed, never a hang', async (batch) => {
    const rand = prng(0xf4a3e + batch);
    const hangs: string[] = [];
    for (let i = 0; i < 25; i++) {
      const n = 1 + Math.floor(rand() * 40);
      const bytes = Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));
      // Half start with a plausible header byte (FIN + text/binary/close/ping), the rest are any bytes.
      if (rand() < 0.5) bytes[0] = [0x81, 0x82, 0x88, 0x89, 0x01][Math.floor(rand() * 5)]!;
      const s = await rawSocket();
      s.write(bytes);
      // A frame that declares more than was sent waits for the rest: the client's FIN ends it.
      s.end();
      const r = await s.closed();
      if (!r.closed) hangs.push(bytes.toString('hex'));
    }
    expect(hangs).toEqual([]);
    expect(await stillServes(h)).toEqual(SERVES);
  });
});
