/**
 * Shared by the PC/SC integration tests: they use vpcd slot 0 ("Virtual PCD 00 00") with cards
 * running in the test process, and a few cards made to misbehave on purpose.
 */
import { encodeResponse, parseCommand } from '../../native/apdu/apdu';
import { SW } from '../../native/apdu/status';
import { PcscReaderService, type ReaderServiceOptions } from '../../native/pcsc/reader-service';
import type { ReaderState } from '../../native/pcsc/reader-state';
import { MinimalJpkiCard, MINIMAL_ATR } from '../../native/vpcd/test-cards';
import { insertVirtualCard, virtualReaderName, type VpcdCardConnection } from '../../native/vpcd/transport';
import type { VirtualCard } from '../../native/vpcd/virtual-card';

export const SLOT = 0;
export const READER = virtualReaderName(SLOT);

/** Services and cards a test opened, closed by `cleanUp()` (call it in afterEach). */
const opened: Array<PcscReaderService | VpcdCardConnection> = [];

export function openService(opts: ReaderServiceOptions = {}): PcscReaderService {
  const svc = new PcscReaderService({ reader: { name: READER }, retryInitialMs: 50, retryMaxMs: 500, ...opts });
  opened.push(svc);
  return svc;
}

/** Puts `card` into slot 0 and waits until `svc` sees it. */
export async function insert(svc: PcscReaderService, card: VirtualCard = new MinimalJpkiCard(), retryForMs = 0): Promise<VpcdCardConnection> {
  const conn = await insertVirtualCard(card, { slot: SLOT, retryForMs });
  opened.push(conn);
  await svc.waitForState((s) => s.status === 'card-present' && s.reader === READER, { timeoutMs: 10_000 });
  return conn;
}

export function waitStatus(svc: PcscReaderService, status: ReaderState['status'], timeoutMs = 10_000): Promise<ReaderState> {
  return svc.waitForState((s) => s.status === status, { timeoutMs });
}

/** Closes what the test opened and waits until pcscd reports slot 0 empty again. */
export async function cleanUp(): Promise<void> {
  let removedCard = false;
  for (const o of opened.splice(0).reverse()) {
    if (o instanceof PcscReaderService) {
      await o.close();
    } else {
      await o.remove();
      removedCard = true;
    }
  }
  // pcscd notices a removal at its next presence poll; a card inserted before that would look
  // like the old one still there.
  if (removedCard) await requireEmptySlot();
}

/** Fails early, with a clear message, when slot 0 already holds a card (a leftover `npm run vcard`). */
export async function requireEmptySlot(): Promise<void> {
  const svc = new PcscReaderService({ reader: { name: READER } });
  try {
    await svc.waitForState((s) => s.status !== 'starting', { timeoutMs: 10_000 });
    const state = await svc.waitForState((s) => s.status === 'no-card', { timeoutMs: 10_000 }).catch(() => svc.state);
    if (state.status !== 'no-card') {
      throw new Error(`the PC/SC tests need ${READER} empty, but it is ${state.status} (npm run vcard -- remove --slot ${SLOT}?)`);
    }
  } finally {
    await svc.close();
  }
}

/**
 * A card for length tests: READ BINARY (B0) answers Le bytes (0, 1, 2, … mod 256); UPDATE BINARY
 * (D6) answers the number of data bytes it got (2 bytes) and their sum mod 65536 (2 bytes).
 */
export class LengthCard implements VirtualCard {
  readonly atr = MINIMAL_ATR;
  powerOn(): void {}
  powerOff(): void {}
  reset(): void {}
  transmit(apdu: Buffer): Buffer {
    const cmd = parseCommand(apdu);
    if (cmd.ins === 0xb0) {
      const n = Math.min(cmd.le ?? 0, 65533); // vpcd frames carry at most 65535 bytes
      return encodeResponse(Buffer.from(Array.from({ length: n }, (_, i) => i & 0xff)), SW.OK);
    }
    if (cmd.ins === 0xd6) {
      const out = Buffer.alloc(4);
      out.writeUInt16BE(cmd.data.length, 0);
      out.writeUInt16BE(cmd.data.reduce((a, b) => (a + b) & 0xffff, 0), 2);
      return encodeResponse(out, SW.OK);
    }
    return encodeResponse(undefined, SW.INS_NOT_SUPPORTED);
  }
}

/** A card that answers like MinimalJpkiCard until `hang()`; then it never answers again. */
export class HangingCard implements VirtualCard {
  private readonly inner = new MinimalJpkiCard();
  readonly atr = this.inner.atr;
  private hanging = false;
  private onCommand: (() => void) | undefined;
  /** Resolves when the card has received a command it will never answer. */
  readonly stuck = new Promise<void>((resolve) => (this.onCommand = resolve));
  hang(): void {
    this.hanging = true;
  }
  powerOn(): void {
    this.inner.powerOn();
  }
  powerOff(): void {
    this.inner.powerOff();
  }
  reset(): void {
    this.inner.reset();
  }
  transmit(apdu: Buffer): Buffer | Promise<Buffer> {
    if (!this.hanging) return this.inner.transmit(apdu);
    this.onCommand?.();
    return new Promise<Buffer>(() => undefined);
  }
}

/** A card that records the order commands reach it. */
export class RecordingCard extends MinimalJpkiCard {
  readonly seen: number[] = [];
  override transmit(apdu: Buffer): Buffer {
    this.seen.push(apdu[3]!); // P2 carries the sequence number
    return encodeResponse(undefined, SW.OK);
  }
}
