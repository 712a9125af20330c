/**
 * JSON bodies over a real socket: a body that arrived with its headers, one that trickles in, one
 * over the limit or of the wrong length, answered as a kiosk expects (Fastify's own reader). Over a
 * socket, not fastify.inject, because that is where a body can be split or cut short: these tests
 * write raw HTTP/1.1 to a listening center and read its answers.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TOKENS, makeCenter, rawConnection, type Fixture } from './center-fixture';

let fx: Fixture | undefined;
let socket: net.Socket | undefined;
afterEach(async () => {
  socket?.destroy();
  socket = undefined;
  await fx?.close();
  fx = undefined;
});

const AUTH = `authorization: Bearer ${TOKENS.kiosks['kiosk-01']}\r\n`;
const CHECK = JSON.stringify({ cardId: '0A1B2C', kind: 'sign' });
const head = (extra: string) => `POST /v1/kiosk/check HTTP/1.1\r\nhost: center\r\n${AUTH}content-type: application/json\r\n${extra}\r\n`;
const withLength = (body: string) => head(`content-length: ${Buffer.byteLength(body)}\r\n`) + body;

/** A keep-alive connection to the test's center (made and listening on first use). */
async function connect() {
  fx ??= await makeCenter();
  const url = fx.app.server.listening ? `http://127.0.0.1:${(fx.app.server.address() as net.AddressInfo).port}` : await fx.app.listen({ host: '127.0.0.1', port: 0 });
  socket?.destroy();
  const c = await rawConnection(url);
  socket = c.socket;
  return c;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JSON request bodies over a socket', () => {
  it('a body that arrives with its headers is parsed and validated', async () => {
    const c = await connect();
    c.write(withLength(CHECK));
    expect(await c.next()).toMatchObject({ status: 200, body: { cardId: '0A1B2C', kind: 'sign', status: 'none' } });
    // The same path still validates: an unknown field is refused by the route's schema.
    c.write(withLength(JSON.stringify({ cardId: '0A1B2C', kind: 'sign', admin: true })));
    expect(await c.next()).toMatchObject({ status: 400, body: { error: 'invalid-request' } });
  });

  it('a body split across writes, after its headers, is read through the stream', async () => {
    const c = await connect();
    c.write(head(`content-length: ${CHECK.length}\r\n`));
    await pause(20);
    c.write(CHECK.slice(0, 7));
    await pause(20);
    c.write(CHECK.slice(7));
    expect(await c.next()).toMatchObject({ status: 200, body: { cardId: '0A1B2C', status: 'none' } });
    // Part of the body with the headers, the rest later.
    c.write(head(`content-length: ${CHECK.length}\r\n`) + CHECK.slice(0, 12));
    await pause(20);
    c.write(CHECK.slice(12));
    expect(await c.next()).toMatchObject({ status: 200, body: { cardId: '0A1B2C', status: 'none' } });
  });

  it('a chunked body is read through the stream', async () => {
    const c = await connect();
    const chunk = (s: string) => `${s.length.toString(16)}\r\n${s}\r\n`;
    c.write(head('transfer-encoding: chunked\r\n') + chunk(CHECK.slice(0, 10)));
    await pause(20);
    c.write(chunk(CHECK.slice(10)) + '0\r\n\r\n');
    expect(await c.next()).toMatchObject({ status: 200, body: { cardId: '0A1B2C', status: 'none' } });
  });

  it('pipelined requests in one write each get their own body', async () => {
    const c = await connect();
    const other = JSON.stringify({ cardId: 'FFEE01', kind: 'auth' });
    c.write(withLength(CHECK) + withLength(other) + withLength(CHECK));
    const answers = [await c.next(), await c.next(), await c.next()];
    expect(answers.map((a) => [a.status, a.body.cardId, a.body.kind])).toEqual([
      [200, '0A1B2C', 'sign'],
      [200, 'FFEE01', 'auth'],
      [200, '0A1B2C', 'sign'],
    ]);
  });

  it('a multi-byte UTF-8 body is measured in bytes, not characters', async () => {
    const c = await connect();
    // A valid JSON text whose cardId is not a card id: the schema, not the reader, refuses it.
    c.write(withLength(JSON.stringify({ cardId: 'マイナ', kind: 'sign' })));
    expect(await c.next()).toMatchObject({ status: 400, body: { error: 'invalid-request' } });
  });

  it('a declared length over the limit is a 413 before any body is sent', async () => {
    const c = await connect();
    c.write(head('content-length: 1000000\r\n'));
    expect(await c.next()).toMatchObject({ status: 413, body: { error: 'payload-too-large' } });
  });

  it('a chunked body that outgrows the limit is a 413', async () => {
    const c = await connect();
    const big = 'A'.repeat(8 * 1024);
    c.write(head('transfer-encoding: chunked\r\n'));
    for (let i = 0; i < 3; i++) c.write(`${big.length.toString(16)}\r\n${big}\r\n`);
    c.write('0\r\n\r\n');
    expect(await c.next()).toMatchObject({ status: 413, body: { error: 'payload-too-large' } });
  });

  it('a prototype-poisoning body is a 400, not an accepted request', async () => {
    const c = await connect();
    c.write(withLength('{"cardId":"0A1B2C","kind":"sign","__proto__":{"polluted":true}}'));
    expect(await c.next()).toMatchObject({ status: 400 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('malformed and empty bodies are 400s with a reason', async () => {
    // Fastify closes the connection after a body it could not parse, so each gets its own.
    for (const body of ['{"cardId":', '', 'null']) {
      const c = await connect();
      c.write(withLength(body));
      expect(await c.next()).toMatchObject({ status: 400, body: { error: 'invalid-request' } });
    }
    const c = await connect();
    c.write(withLength(CHECK));
    expect(await c.next()).toMatchObject({ status: 200 });
  });
});
