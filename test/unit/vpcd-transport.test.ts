/**
 * The virtual card's side of the vpcd protocol, against a stand-in vpcd on a loopback socket: what
 * the card answers decides whether pcscd (which waits for an answer to every APDU) is held.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame } from '../../native/vpcd/framing';
import { MinimalJpkiCard } from '../../native/vpcd/test-cards';
import { insertVirtualCard, type VpcdCardConnection } from '../../native/vpcd/transport';

/** A listening socket that plays vpcd: sends frames to the card and reads its answers in order. */
class FakeVpcd {
  private readonly server = net.createServer();
  private socket: net.Socket | undefined;
  private pending = Buffer.alloc(0);
  private readonly answers: Buffer[] = [];
  private waiter: (() => void) | undefined;

  /** Resolves once the card has connected. */
  readonly accepted = new Promise<void>((resolve) =>
    this.server.once('connection', (s) => {
      this.socket = s;
      s.on('data', (chunk) => this.onData(chunk));
      resolve();
    }),
  );

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  send(payload: Buffer): void {
    this.socket!.write(encodeFrame(payload));
  }

  /** The card's next answer, or undefined when none comes within `ms`. */
  async next(ms = 300): Promise<Buffer | undefined> {
    const deadline = Date.now() + ms;
    while (this.answers.length === 0 && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setTimeout(resolve, deadline - Date.now());
      });
    }
    return this.answers.shift();
  }

  private onData(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 2 && this.pending.length >= 2 + this.pending.readUInt16BE(0)) {
      const len = this.pending.readUInt16BE(0);
      this.answers.push(this.pending.subarray(2, 2 + len));
      this.pending = this.pending.subarray(2 + len);
    }
    this.waiter?.();
  }

  close(): void {
    this.socket?.destroy();
    this.server.close();
  }
}

/** MinimalJpkiCard that records the commands that reach it. */
class CountingCard extends MinimalJpkiCard {
  readonly received: Buffer[] = [];
  override transmit(apdu: Buffer): Buffer {
    this.received.push(apdu);
    return super.transmit(apdu);
  }
}

let vpcd: FakeVpcd | undefined;
let conn: VpcdCardConnection | undefined;
afterEach(async () => {
  await conn?.remove();
  vpcd?.close();
  conn = vpcd = undefined;
});

async function inserted(card: CountingCard): Promise<FakeVpcd> {
  vpcd = new FakeVpcd();
  const port = await vpcd.listen();
  conn = await insertVirtualCard(card, { port, quickAck: false });
  await vpcd.accepted;
  return vpcd;
}

describe('virtual card over the vpcd protocol', () => {
  it.each([
    ['a 1-byte payload that is no vpcd control byte', '05'],
    ['a 1-byte payload A4', 'a4'],
    ['a 2-byte command', '00a4'],
    ['a 3-byte command', '00a404'],
  ])('answers %s with 6700 without troubling the card, so vpcd is not left waiting', async (_what, hex) => {
    const card = new CountingCard();
    const v = await inserted(card);
    v.send(Buffer.from(hex, 'hex'));
    expect((await v.next())?.toString('hex')).toBe('6700');
    expect(card.received).toEqual([]);
  });

  it('answers only GET_ATR among vpcd control bytes, and a 4-byte command goes to the card', async () => {
    const card = new CountingCard();
    const v = await inserted(card);
    for (const control of [0x01, 0x02, 0x00]) v.send(Buffer.from([control]));
    v.send(Buffer.from([0x04]));
    expect(Buffer.from((await v.next())!).equals(Buffer.from(card.atr))).toBe(true);
    expect(await v.next(100)).toBeUndefined();

    v.send(Buffer.from('00a40000', 'hex'));
    expect((await v.next())?.length).toBeGreaterThanOrEqual(2);
    expect(card.received.map((c) => c.toString('hex'))).toEqual(['00a40000']);
  });
});
