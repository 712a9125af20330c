/**
 * Commands shorter than CLA INS P1 P2 on the real pcscd + Debian's vpcd, in slot 0. vpcd waits for
 * the card's answer to every command, holding the reader; a 1-byte command reads as a vpcd control
 * byte, which the card does not answer. The reader service must never send one, and the virtual
 * card answers the short commands it can tell from control bytes, whoever sends them.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hex } from '../../native/apdu/apdu';
import { SW } from '../../native/apdu/status';
import { loadPcscBinding, SCARD, type NativeCallback, type NativeReader } from '../../native/pcsc/binding';
import { PcscError } from '../../native/pcsc/errors';
import { JPKI_AID } from '../../native/vpcd/test-cards';
import { cleanUp, insert, openService, READER, requireEmptySlot } from './helpers';

const SELECT_JPKI = Buffer.from([0x00, 0xa4, 0x04, 0x0c, JPKI_AID.length, ...JPKI_AID]);
/** Well under the kiosk's 10 s: a reader held by vpcd would not answer within it. */
const PROMPTLY_MS = 2000;

beforeAll(requireEmptySlot);
afterEach(cleanUp);

describe('a command shorter than its header', () => {
  it('is refused by the reader service before pcscd; the reader still answers, and connects again promptly', async () => {
    const svc = openService({ transmitTimeoutMs: PROMPTLY_MS, connectTimeoutMs: PROMPTLY_MS });
    const conn = await insert(svc);
    const reachedCard: string[] = [];
    conn.on('apdu', (command) => reachedCard.push(hex(command)));

    const ch = await svc.connect();
    // 00 would power the virtual card off and leave pcscd waiting for an answer that never comes.
    for (const short of ['', '00', '05', '00a4', '00a404']) {
      const err = await ch.transmit(Buffer.from(short, 'hex')).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(PcscError);
      expect((err as PcscError).code).toBe('INVALID_APDU');
    }
    expect(reachedCard).toEqual([]);

    expect((await ch.transmit(SELECT_JPKI)).sw).toBe(SW.OK);
    await ch.disconnect();
    const again = await svc.connect();
    expect((await again.transmit(SELECT_JPKI)).sw).toBe(SW.OK);
    expect(reachedCard).toEqual([hex(SELECT_JPKI), hex(SELECT_JPKI)]);
  });

  it('sent by another program straight through pcsc-lite is answered 6700 by the virtual card, and the reader stays usable', async () => {
    const svc = openService();
    await insert(svc);
    const other = await RawPcsc.connect(READER);
    try {
      // 2- and 3-byte commands, and a 1-byte one that is none of vpcd's control bytes (00 01 02 04).
      for (const short of ['00a404', '00a4', '05']) expect(await other.transmit(short)).toBe('6700');
      expect(await other.transmit(hex(SELECT_JPKI))).toBe('9000');
    } finally {
      await other.disconnect();
    }
    const ch = await svc.connect({ timeoutMs: PROMPTLY_MS });
    expect((await ch.transmit(SELECT_JPKI, { timeoutMs: PROMPTLY_MS })).sw).toBe(SW.OK);
  });
});

/** pcsclite's binding used as is, without the reader service: what any other PC/SC program can send. */
class RawPcsc {
  private constructor(
    private readonly reader: NativeReader,
    private readonly protocol: number,
  ) {}

  static async connect(name: string): Promise<RawPcsc> {
    const reader = new (loadPcscBinding().CardReader)(name);
    reader.emit = () => true;
    // As the reader service does (binding.ts): the status thread's first answer, then close it.
    await new Promise<void>((resolve) => {
      let first = true;
      reader.get_status(() => {
        if (!first) return;
        first = false;
        setImmediate(() => {
          reader.close();
          resolve();
        });
      });
    });
    const protocol = await within<number | undefined>((cb) => reader._connect(SCARD.SHARE_SHARED, SCARD.PROTOCOL_T1, cb));
    return new RawPcsc(reader, protocol ?? SCARD.PROTOCOL_T1);
  }

  async transmit(command: string): Promise<string> {
    const answer = await within<Buffer | undefined>((cb) => this.reader._transmit(Buffer.from(command, 'hex'), 258, this.protocol, cb));
    return hex(answer ?? Buffer.alloc(0)).toLowerCase();
  }

  async disconnect(): Promise<void> {
    await within<undefined>((cb) => this.reader._disconnect(SCARD.LEAVE_CARD, () => cb(null, undefined)));
  }
}

/** A binding call's result, or a failure after PROMPTLY_MS (the call itself may still be held by pcscd). */
function within<T>(op: (cb: NativeCallback<[T?]>) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer from pcscd within ${PROMPTLY_MS} ms`)), PROMPTLY_MS);
    op((err, value) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value);
    });
  });
}
