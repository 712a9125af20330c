/**
 * The reader service against the real pcscd and a virtual card in vpcd slot 0, run from this
 * process. No timed assertions: waits have generous limits and only guard against hanging.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, hex } from '../../native/apdu/apdu';
import { SW } from '../../native/apdu/status';
import { PcscError } from '../../native/pcsc/errors';
import type { ReaderServiceEvents } from '../../native/pcsc/reader-service';
import { JPKI_AID, MINIMAL_ATR, MinimalJpkiCard } from '../../native/vpcd/test-cards';
import { virtualReaderName } from '../../native/vpcd/transport';
import { cleanUp, HangingCard, insert, LengthCard, openService, READER, RecordingCard, requireEmptySlot, waitStatus } from './helpers';

const SELECT_JPKI = { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: JPKI_AID };

async function rejection(p: Promise<unknown>): Promise<PcscError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PcscError);
  return err as PcscError;
}

beforeAll(requireEmptySlot);
afterEach(cleanUp);

describe('reader service on pcscd + vpcd', () => {
  it('lists both simulator readers, the selected one empty', async () => {
    const svc = openService();
    const readers = await svc.listReaders();
    expect(readers.map((r) => r.name)).toEqual(expect.arrayContaining([virtualReaderName(0), virtualReaderName(1)]));
    expect(svc.state).toEqual({ status: 'no-card', reader: READER });
  });

  it('reports a card inserted (with its ATR) and removed', async () => {
    const svc = openService();
    await svc.ready();
    const events: Array<[keyof ReaderServiceEvents, string, string?]> = [];
    svc.on('card-inserted', (e) => events.push(['card-inserted', e.reader, hex(e.atr)]));
    svc.on('card-removed', (e) => events.push(['card-removed', e.reader]));

    const conn = await insert(svc);
    expect(svc.state).toEqual({ status: 'card-present', reader: READER, atr: MINIMAL_ATR });

    await conn.remove();
    await waitStatus(svc, 'no-card');
    expect(events.filter((e) => e[1] === READER)).toEqual([
      ['card-inserted', READER, hex(MINIMAL_ATR)],
      ['card-removed', READER],
    ]);
  });

  it('round-trips a SELECT (raw and as a CommandApdu) and tells the channel state', async () => {
    const svc = openService();
    await insert(svc);
    const ch = await svc.connect();
    expect(ch.reader).toBe(READER);
    expect(hex(ch.atr)).toBe(hex(MINIMAL_ATR));
    expect(svc.state).toMatchObject({ status: 'connected', reader: READER, protocol: 'T=1', shareMode: 'exclusive' });

    expect(await ch.transmit(fromHex('00A4040C0AD392F000260100000001'))).toEqual({ data: Buffer.alloc(0), sw: SW.OK });
    expect((await ch.send({ ...SELECT_JPKI, data: fromHex('D3921000310001010408') })).sw).toBe(SW.FILE_NOT_FOUND);
    expect(hex(await ch.transmitBytes(fromHex('00A4040C0AD392F000260100000001')))).toBe('9000');

    await ch.disconnect();
    expect(svc.state.status).toBe('card-present');
    expect((await rejection(ch.send(SELECT_JPKI))).code).toBe('CHANNEL_CLOSED');
  });

  it('carries extended APDUs both ways (receive buffer of 65538 bytes)', async () => {
    const svc = openService();
    await insert(svc, new LengthCard());
    const ch = await svc.connect();

    const data = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff));
    const update = await ch.send({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data });
    expect(update.sw).toBe(SW.OK);
    expect(update.data.readUInt16BE(0)).toBe(3000);
    expect(update.data.readUInt16BE(2)).toBe(data.reduce((a, b) => (a + b) & 0xffff, 0));

    for (const le of [256, 257, 4096, 65533]) {
      const read = await ch.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, le });
      expect(read.sw).toBe(SW.OK);
      expect(read.data.length).toBe(le);
      expect(read.data[le - 1]).toBe((le - 1) & 0xff);
    }
  });

  it('runs concurrent commands on one channel one at a time, in call order', async () => {
    const svc = openService();
    const card = new RecordingCard();
    await insert(svc, card);
    const ch = await svc.connect();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => ch.send({ cla: 0, ins: 0xca, p1: 0, p2: i })));
    expect(answers.every((a) => a.sw === SW.OK)).toBe(true);
    expect(card.seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('fails with CARD_REMOVED when the card is taken out between two commands', async () => {
    const svc = openService();
    const conn = await insert(svc);
    const ch = await svc.connect();
    expect((await ch.send(SELECT_JPKI)).sw).toBe(SW.OK);

    await conn.remove();
    const err = await rejection(ch.send(SELECT_JPKI));
    expect(err.code).toBe('CARD_REMOVED');
    expect(ch.closedReason?.code).toBe('CARD_REMOVED');
    await waitStatus(svc, 'no-card');
    expect((await rejection(ch.send(SELECT_JPKI))).code).toBe('CARD_REMOVED');
  });

  it('fails with CARD_REMOVED when the card is taken out during a command', async () => {
    const svc = openService();
    const card = new HangingCard();
    const conn = await insert(svc, card);
    const ch = await svc.connect();
    card.hang();
    const pending = ch.send(SELECT_JPKI);
    await card.stuck;
    await conn.remove();
    expect((await rejection(pending)).code).toBe('CARD_REMOVED');
    await waitStatus(svc, 'no-card');
  });

  it('fails with TIMEOUT when the card does not answer in time, and the reader recovers once the card is out', async () => {
    const svc = openService();
    const card = new HangingCard();
    const conn = await insert(svc, card);
    const ch = await svc.connect();
    card.hang();
    const err = await rejection(ch.send(SELECT_JPKI, { timeoutMs: 300 }));
    expect(err.code).toBe('TIMEOUT');
    expect(ch.closedReason?.code).toBe('TIMEOUT');
    expect(svc.state.status).toBe('card-present');

    await conn.remove();
    await waitStatus(svc, 'no-card');
    await insert(svc);
    const again = await svc.connect();
    expect((await again.send(SELECT_JPKI)).sw).toBe(SW.OK);
  });

  it('reports a sharing violation while another client holds the card exclusively', async () => {
    const a = openService();
    const b = openService();
    await insert(a);
    await waitStatus(b, 'card-present');
    const held = await a.connect({ shareMode: 'exclusive' });
    expect((await rejection(b.connect({ shareMode: 'shared' }))).code).toBe('SHARING_VIOLATION');
    expect((await rejection(b.connect({ shareMode: 'exclusive' }))).code).toBe('SHARING_VIOLATION');

    await held.disconnect();
    const shared = await b.connect({ shareMode: 'shared' });
    expect((await shared.send(SELECT_JPKI)).sw).toBe(SW.OK);
  });

  it('refuses a second connection from the same service', async () => {
    const svc = openService();
    await insert(svc);
    await svc.connect();
    expect((await rejection(svc.connect())).code).toBe('ALREADY_CONNECTED');
  });

  it('says NO_READER and NO_CARD', async () => {
    const missing = openService({ reader: { name: 'No Such Reader 00 00' } });
    await missing.ready();
    expect(missing.state).toEqual({ status: 'no-reader', selector: { name: 'No Such Reader 00 00' } });
    expect((await rejection(missing.connect())).code).toBe('NO_READER');

    const empty = openService();
    await empty.ready();
    expect((await rejection(empty.connect())).code).toBe('NO_CARD');
  });

  it('finds a reader by prefix, preferring one that holds a card', async () => {
    const svc = openService({ reader: { prefix: 'Virtual PCD 00' } });
    await svc.ready();
    const conn = await insert(openService(), new MinimalJpkiCard());
    await svc.waitForState((s) => s.status === 'card-present', { timeoutMs: 10_000 });
    expect(svc.state).toMatchObject({ status: 'card-present', reader: READER });
    await conn.remove();
  });

  it('close() ends the channel and releases an exclusive card for other clients', async () => {
    const a = openService();
    await insert(a);
    const ch = await a.connect({ shareMode: 'exclusive' });
    await a.close();
    expect(a.state.status).toBe('closed');
    expect((await rejection(ch.send(SELECT_JPKI))).code).toBe('SERVICE_CLOSED');

    const b = openService();
    await waitStatus(b, 'card-present');
    const other = await b.connect({ shareMode: 'exclusive' });
    expect((await other.send(SELECT_JPKI)).sw).toBe(SW.OK);
  });
});
