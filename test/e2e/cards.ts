/**
 * The citizen's card in the end-to-end tests: placing a persona card on the kiosk's virtual reader
 * and taking it off (through vpcd and pcscd, the kiosk's real PC/SC path), and reading the card
 * afterwards to check what a reset did — on the card itself, never through the kiosk's screens.
 */
import { encodeResponse, parseCommand } from '../../native/apdu/apdu';
import { SW } from '../../native/apdu/status';
import { MemoryCardStore, readCardFile } from '../../native/card/card-file';
import { loadCard, type LoadedCard } from '../../native/card/card-module';
import { SIMULATOR_AID } from '../../native/jpki/simulator-marker';
import { PcscReaderService } from '../../native/pcsc/reader-service';
import { insertVirtualCard, virtualReaderName, type VpcdCardConnection } from '../../native/vpcd/transport';
import type { VirtualCard } from '../../native/vpcd/virtual-card';
import { directChannel, JpkiClient } from '../../electron/jpki';
import type { PasswordKind, VerifyOutcome } from '../../electron/domain/passwords';

/** One command the card received: its header and whether it carried data (never the data: it may be a PIN). */
export interface SeenCommand {
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly hasData: boolean;
}

/**
 * A simulator card with its simulator application hidden: it answers SELECT of the simulator AID
 * with 6A 82, as every real My Number card does. To the kiosk it is then a card it cannot prove to
 * be a simulator card — it must treat it as a real card and never change it. This is as close to
 * a real card as the simulator can honestly get: certificates and files are still the simulator's.
 * Every command is recorded (header only), so a test can show nothing changing was ever sent.
 */
export class RealLookingCard implements VirtualCard {
  readonly atr: Uint8Array;
  readonly seen: SeenCommand[] = [];

  constructor(private readonly inner: VirtualCard) {
    this.atr = inner.atr;
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
    const cmd = parseCommand(apdu);
    this.seen.push({ ins: cmd.ins, p1: cmd.p1, p2: cmd.p2, hasData: cmd.data.length > 0 });
    if (cmd.ins === 0xa4 && cmd.p1 === 0x04 && Buffer.from(cmd.data).equals(SIMULATOR_AID)) return encodeResponse(undefined, SW.FILE_NOT_FOUND);
    return this.inner.transmit(apdu);
  }

  /** Commands that would change a card or prove a PIN: VERIFY with a value, CHANGE REFERENCE DATA, RESET RETRY COUNTER, EXTERNAL AUTHENTICATE, GET CHALLENGE. */
  changingCommands(): SeenCommand[] {
    return this.seen.filter((c) => (c.ins === 0x20 && c.hasData) || c.ins === 0x24 || c.ins === 0x2c || c.ins === 0x82 || c.ins === 0x84);
  }
}

/**
 * A card that leaves the reader in the middle of being written: when RESET RETRY COUNTER arrives,
 * it first writes the new value (`'after-write'`) or not (`'before-write'`), then is taken off the
 * reader before it answers. The kiosk never learns whether the write happened — the very case
 * where the screen must say it does not know.
 */
export class WithdrawnMidWrite implements VirtualCard {
  readonly atr: Uint8Array;
  #fired = false;

  constructor(
    private readonly inner: VirtualCard,
    private readonly when: 'after-write' | 'before-write',
    private readonly takeOff: () => Promise<void>,
  ) {
    this.atr = inner.atr;
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

  async transmit(apdu: Buffer): Promise<Buffer> {
    const cmd = parseCommand(apdu);
    if (cmd.ins !== 0x2c || this.#fired) return this.inner.transmit(apdu);
    this.#fired = true;
    const answer = this.when === 'after-write' ? await this.inner.transmit(apdu) : encodeResponse(undefined, SW.OK);
    // The answer never reaches the kiosk: the card is gone first.
    await this.takeOff();
    return answer;
  }
}

/** The card id the center knows (the auth certificate's serial), from the card file. */
export function cardIdOf(file: string): string {
  return readCardFile(file).cardId;
}

export interface PlaceOptions {
  /** Hide the simulator marks (RealLookingCard). */
  readonly realLooking?: boolean;
  /** Take the card off while it is being written (WithdrawnMidWrite). */
  readonly removedDuringWrite?: 'after-write' | 'before-write';
}

/** The kiosk's reader, as the test places cards on it and takes them off. */
export class CardHand {
  readonly reader: string;
  readonly #svc: PcscReaderService;
  #placed: { conn: VpcdCardConnection; card: LoadedCard } | undefined;

  constructor(readonly slot: number) {
    this.reader = virtualReaderName(slot);
    this.#svc = new PcscReaderService({ reader: { name: this.reader } });
  }

  /**
   * Places the card from `file` on the reader. It runs in this process and writes every change to
   * its file before answering, as a chip would. `realLooking` hides its simulator marks.
   */
  async place(file: string, opts: PlaceOptions = {}): Promise<RealLookingCard | undefined> {
    if (this.#placed) throw new Error('a card is already on the reader');
    const card = loadCard(file);
    const shown = opts.realLooking ? new RealLookingCard(card) : undefined;
    const withdrawing = opts.removedDuringWrite ? new WithdrawnMidWrite(card, opts.removedDuringWrite, () => this.remove()) : undefined;
    try {
      const conn = await insertVirtualCard(shown ?? withdrawing ?? card, { slot: this.slot, retryForMs: 5000 });
      this.#placed = { conn, card };
    } catch (err) {
      card.release();
      throw err;
    }
    return shown;
  }

  /** Takes the card off and waits until pcscd reports the reader empty (so the next card is a new one). */
  async remove(): Promise<void> {
    const placed = this.#placed;
    if (!placed) return;
    this.#placed = undefined;
    await placed.conn.remove();
    placed.card.release();
    await this.#svc.waitForState((s) => s.status === 'no-card', { timeoutMs: 10_000 });
  }

  async close(): Promise<void> {
    await this.remove().catch(() => undefined);
    await this.#svc.close();
  }
}

/**
 * Opens the card from `file` (as it is now, with everything it committed) in this process and runs
 * `fn` on it through the JPKI client. Changes made by `fn` stay in memory: checking a password
 * here never costs the card a try.
 */
async function onCard<T>(file: string, fn: (client: JpkiClient) => Promise<T>): Promise<T> {
  const card = loadCard(file, { store: new MemoryCardStore(), lock: false });
  const client = new JpkiClient(directChannel(card));
  await client.identify();
  return fn(client);
}

/** What the card answers to VERIFY of `value` (a fresh copy each time, so checks do not add up). */
export function verifyOnCard(file: string, pin: PasswordKind, value: string): Promise<VerifyOutcome> {
  return onCard(file, (c) => c.verify(pin, value));
}

/** Tries left of `pin`, as the card counts them. */
export function triesLeftOnCard(file: string, pin: PasswordKind): Promise<number> {
  return onCard(file, (c) => c.triesLeft(pin));
}
