/**
 * The reader service's own logic (states, events, recovery, error translation) on a fake pcscd
 * (test/fakes/pcsclite.ts). The same behaviours against the real pcscd are in test/pcsc/.
 */
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { PcscError } from '../../native/pcsc/errors';
import { PcscReaderService, type ReaderServiceOptions } from '../../native/pcsc/reader-service';
import type { ReaderState } from '../../native/pcsc/reader-state';
import { FakePcscd } from '../fakes/pcsclite';

const R0 = 'Virtual PCD 00 00';
const R1 = 'Virtual PCD 00 01';
const ATR = Buffer.from('3BE000FF8131FE4514', 'hex');
const SELECT = Buffer.from('00A4040C0AD392F000260100000001', 'hex');

const services: PcscReaderService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
});

function service(pcscd: FakePcscd, opts: ReaderServiceOptions = {}): PcscReaderService {
  const svc = new PcscReaderService({ loadBinding: () => pcscd.binding(), retryInitialMs: 1, retryMaxMs: 5, settleMs: 50, ...opts });
  services.push(svc);
  return svc;
}

function until(svc: PcscReaderService, status: ReaderState['status']): Promise<ReaderState> {
  return svc.waitForState((s) => s.status === status, { timeoutMs: 5000 });
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PcscError);
  return (err as PcscError).code;
}

describe('reader service (fake pcscd)', () => {
  it('starts without pcscd: a state, not a throw; recovers on its own when pcscd starts', async () => {
    const pcscd = new FakePcscd([R0]);
    pcscd.running = false;
    const svc = service(pcscd);
    await svc.ready();
    expect(svc.state).toMatchObject({ status: 'pcscd-unavailable', detail: expect.stringContaining('Service not available') });
    expect(await codeOf(svc.connect())).toBe('PCSCD_NOT_RUNNING');
    expect(await codeOf(svc.listReaders())).toBe('PCSCD_NOT_RUNNING');
    pcscd.start();
    expect(await until(svc, 'no-card')).toEqual({ status: 'no-card', reader: R0 });
  });

  it('reports a missing pcsclite build as unavailable and stops trying', async () => {
    const svc = service(new FakePcscd(), {
      loadBinding: () => {
        throw new Error('pcsclite native module is not built');
      },
    });
    await svc.ready();
    expect(svc.state.status).toBe('pcscd-unavailable');
    expect(await codeOf(svc.connect())).toBe('PCSC_LIBRARY_MISSING');
  });

  it('emits reader and card events, with the ATR, and derives the state', async () => {
    const pcscd = new FakePcscd([R0]);
    const svc = service(pcscd);
    const events: string[] = [];
    svc.on('reader-added', (r) => events.push(`+reader ${r}`));
    svc.on('reader-removed', (r) => events.push(`-reader ${r}`));
    svc.on('card-inserted', (e) => events.push(`+card ${e.reader} ${e.atr.toString('hex')}`));
    svc.on('card-removed', (e) => events.push(`-card ${e.reader}`));
    await until(svc, 'no-card');

    pcscd.insert(R0, ATR);
    expect(await until(svc, 'card-present')).toEqual({ status: 'card-present', reader: R0, atr: ATR });
    const added = once(svc, 'reader-added');
    pcscd.plug(R1);
    await added;
    pcscd.remove(R0);
    await until(svc, 'no-card');
    pcscd.unplug(R0);
    await until(svc, 'no-reader');
    expect(events).toEqual([`+reader ${R0}`, `+card ${R0} ${ATR.toString('hex')}`, `+reader ${R1}`, `-card ${R0}`, `-reader ${R0}`]);
  });

  it('selects by prefix, preferring a reader with a card', async () => {
    const pcscd = new FakePcscd([R0, R1]);
    const svc = service(pcscd, { reader: { prefix: 'Virtual PCD' } });
    expect(await until(svc, 'no-card')).toEqual({ status: 'no-card', reader: R0 });
    pcscd.insert(R1, ATR);
    expect(await until(svc, 'card-present')).toMatchObject({ reader: R1 });
  });

  it('pcscd dying closes channels with PCSCD_NOT_RUNNING, reports readers gone, and comes back', async () => {
    const pcscd = new FakePcscd([R0]);
    pcscd.insert(R0, ATR);
    const svc = service(pcscd);
    await until(svc, 'card-present');
    const removed: string[] = [];
    svc.on('reader-removed', (r) => removed.push(r));
    const ch = await svc.connect();
    expect((await ch.transmit(SELECT)).sw).toBe(0x9000);

    pcscd.stop();
    await until(svc, 'pcscd-unavailable');
    expect(removed).toEqual([R0]);
    expect(await codeOf(ch.transmit(SELECT))).toBe('PCSCD_NOT_RUNNING');
    const contextsBefore = pcscd.contexts;

    pcscd.start();
    await until(svc, 'card-present');
    expect(pcscd.contexts).toBe(contextsBefore + 1);
    const again = await svc.connect();
    expect((await again.transmit(SELECT)).sw).toBe(0x9000);
  });

  it('a reader unplugged mid-session fails the channel with READER_REMOVED; plugged back, it works again', async () => {
    const pcscd = new FakePcscd([R0]);
    pcscd.insert(R0, ATR);
    const svc = service(pcscd);
    await until(svc, 'card-present');
    const ch = await svc.connect();
    pcscd.unplug(R0);
    await until(svc, 'no-reader');
    expect(await codeOf(ch.transmit(SELECT))).toBe('READER_REMOVED');

    pcscd.plug(R0);
    pcscd.insert(R0, ATR);
    await until(svc, 'card-present');
    expect((await (await svc.connect()).transmit(SELECT)).sw).toBe(0x9000);
  });

  it('a card swapped between two looks (removal counter moved) ends the channel', async () => {
    const pcscd = new FakePcscd([R0]);
    pcscd.insert(R0, ATR);
    const svc = service(pcscd);
    await until(svc, 'card-present');
    const ch = await svc.connect();
    const events: string[] = [];
    svc.on('card-removed', () => events.push('removed'));
    svc.on('card-inserted', () => events.push('inserted'));
    // Both changes land before the service looks: it sees "present" with a new counter.
    const r = pcscd.readers.get(R0)!;
    r.counter += 2;
    pcscd.insert(R0, ATR);
    await until(svc, 'card-present');
    expect(events).toEqual(['removed', 'inserted']);
    expect(ch.closedReason?.code).toBe('CARD_REMOVED');
  });

  it('waits for pcscd before calling an ambiguous failure a removal', async () => {
    const pcscd = new FakePcscd([R0]);
    pcscd.insert(R0, ATR);
    const svc = service(pcscd);
    await until(svc, 'card-present');
    const ch = await svc.connect();

    // "Not transacted" and then pcscd reports the card gone: CARD_REMOVED.
    pcscd.transmit = () => {
      setTimeout(() => pcscd.remove(R0), 5);
      return { err: new Error('SCardTransmit error: Transaction failed.(0x80100016)') };
    };
    expect(await codeOf(ch.transmit(SELECT))).toBe('CARD_REMOVED');

    // The same failure with the card staying: a PC/SC failure, and the channel stays usable.
    pcscd.insert(R0, ATR);
    await until(svc, 'card-present');
    const ch2 = await svc.connect();
    pcscd.transmit = () => ({ err: new Error('SCardTransmit error: Transaction failed.(0x80100016)') });
    expect(await codeOf(ch2.transmit(SELECT))).toBe('PCSC_FAILURE');
    pcscd.transmit = () => ({ data: Buffer.alloc(0) });
    expect(await codeOf(ch2.transmit(SELECT))).toBe('BAD_RESPONSE');
    pcscd.transmit = () => ({ data: Buffer.from([0x6a, 0x82]) });
    expect((await ch2.transmit(SELECT)).sw).toBe(0x6a82);
  });

  it('times out a command that gets no answer, and closes that channel', async () => {
    const pcscd = new FakePcscd([R0]);
    pcscd.insert(R0, ATR);
    const svc = service(pcscd);
    await until(svc, 'card-present');
    const ch = await svc.connect();
    pcscd.transmit = () => 'hang';
    expect(await codeOf(ch.transmit(SELECT, { timeoutMs: 10 }))).toBe('TIMEOUT');
    expect(ch.closedReason?.code).toBe('TIMEOUT');
    expect(await codeOf(ch.transmit(SELECT))).toBe('TIMEOUT');
    expect(svc.state.status).toBe('card-present');
    // The reader is busy until the hung command ends (here: the card is pulled).
    pcscd.transmit = () => ({ data: Buffer.from([0x90, 0x00]) });
    pcscd.remove(R0);
    await until(svc, 'no-card');
    pcscd.insert(R0, ATR);
    await until(svc, 'card-present');
    expect((await (await svc.connect()).transmit(SELECT)).sw).toBe(0x9000);
  });

  it('translates connect failures and refuses bad input', async () => {
    const pcscd = new FakePcscd([R0]);
    const a = service(pcscd);
    const b = service(pcscd);
    await until(a, 'no-card');
    expect(await codeOf(a.connect())).toBe('NO_CARD');
    expect(await codeOf(a.connect({ reader: { name: 'nope' } }))).toBe('NO_READER');
    pcscd.insert(R0, ATR);
    await until(a, 'card-present');
    await until(b, 'card-present');
    const ch = await a.connect({ shareMode: 'exclusive' });
    expect(await codeOf(b.connect({ shareMode: 'shared' }))).toBe('SHARING_VIOLATION');
    expect(await codeOf(a.connect())).toBe('ALREADY_CONNECTED');
    expect(await codeOf(ch.transmit(Buffer.from([0x00, 0xa4])))).toBe('INVALID_APDU');
    expect(await codeOf(ch.send({ cla: 0x100, ins: 0, p1: 0, p2: 0 }))).toBe('INVALID_APDU');
    await ch.disconnect();
    expect(a.state.status).toBe('card-present');
    expect((await (await b.connect({ shareMode: 'shared' })).transmit(SELECT)).sw).toBe(0x9000);
  });

  it('refuses a command shorter than CLA INS P1 P2 before it reaches pcscd, and keeps the channel', async () => {
    const pcscd = new FakePcscd([R0]);
    pcscd.insert(R0, ATR);
    const svc = service(pcscd);
    await until(svc, 'card-present');
    const ch = await svc.connect();
    for (const length of [0, 1, 2, 3]) {
      const short = SELECT.subarray(0, length);
      const err = await ch.transmitBytes(short).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PcscError);
      expect(err).toMatchObject({ code: 'INVALID_APDU', message: expect.stringContaining(`got ${length}`) });
      expect(await codeOf(ch.transmit(short))).toBe('INVALID_APDU');
    }
    expect(pcscd.transmitted).toEqual([]);
    expect(ch.closedReason).toBeUndefined();

    expect((await ch.transmit(SELECT.subarray(0, 4))).sw).toBe(0x9000);
    expect(pcscd.transmitted).toEqual([SELECT.subarray(0, 4)]);
  });

  it('close() is final: channels fail with SERVICE_CLOSED and waiters are released', async () => {
    const pcscd = new FakePcscd([R0]);
    pcscd.insert(R0, ATR);
    const svc = service(pcscd);
    await until(svc, 'card-present');
    const ch = await svc.connect();
    const waiting = codeOf(svc.waitForState((s) => s.status === 'no-reader'));
    await svc.close();
    expect(svc.state.status).toBe('closed');
    expect(await waiting).toBe('SERVICE_CLOSED');
    expect(await codeOf(ch.transmit(SELECT))).toBe('SERVICE_CLOSED');
    expect(await codeOf(svc.connect())).toBe('SERVICE_CLOSED');
  });
});
