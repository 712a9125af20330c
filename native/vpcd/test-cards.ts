/**
 * Two tiny cards for the transport's own tests and benchmark. The full My Number card lives in
 * native/card; these exist so the PC/SC bench can be tested without it.
 */
import type { VirtualCard } from './virtual-card';
import { encodeResponse, parseCommand } from '../apdu/apdu';
import { SW } from '../apdu/status';

/** The JPKI AP's AID (docs/card.md §2). */
export const JPKI_AID = Buffer.from('D392F000260100000001', 'hex');

/** The ATR OpenSC's jpki driver lists (docs/card.md §1). */
export const MINIMAL_ATR = Buffer.from('3BE000FF8131FE4514', 'hex');

/** Answers SELECT of the JPKI AID with 9000 and 6A82 to any other AID; 6D00 to anything else. */
export class MinimalJpkiCard implements VirtualCard {
  readonly atr = MINIMAL_ATR;
  selected = false;
  powered = false;
  powerOn(): void {
    this.powered = true;
    this.selected = false;
  }
  powerOff(): void {
    this.powered = false;
    this.selected = false;
  }
  reset(): void {
    this.selected = false;
  }
  transmit(apdu: Buffer): Buffer {
    let cmd;
    try {
      cmd = parseCommand(apdu);
    } catch {
      return encodeResponse(undefined, SW.WRONG_LENGTH);
    }
    if (cmd.cla !== 0x00) return encodeResponse(undefined, SW.CLA_NOT_SUPPORTED);
    if (cmd.ins !== 0xa4) return encodeResponse(undefined, SW.INS_NOT_SUPPORTED);
    if (cmd.p1 !== 0x04) return encodeResponse(undefined, SW.INCORRECT_P1P2);
    this.selected = Buffer.from(cmd.data).equals(JPKI_AID);
    return encodeResponse(undefined, this.selected ? SW.OK : SW.FILE_NOT_FOUND);
  }
}

/** The benchmark floor: answers 90 00 at once to every APDU, doing no work at all. */
export class BareResponder implements VirtualCard {
  readonly atr = MINIMAL_ATR;
  private static readonly OK = Buffer.from([0x90, 0x00]);
  powerOn(): void {}
  powerOff(): void {}
  reset(): void {}
  transmit(): Buffer {
    return BareResponder.OK;
  }
}

/**
 * The card-module entry point `npm run vcard -- insert minimal` loads (see slots.ts): any module
 * exporting `createVirtualCard(arg)` can be inserted into a slot the same way.
 */
export function createVirtualCard(arg: string): Promise<VirtualCard> {
  if (arg === 'bare') return Promise.resolve(new BareResponder());
  if (arg !== '' && arg !== 'minimal') return Promise.reject(new Error(`test-cards: unknown card "${arg}" (minimal | bare)`));
  return Promise.resolve(new MinimalJpkiCard());
}
