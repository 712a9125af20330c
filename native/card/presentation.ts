/**
 * How a training card presents itself on the reader. An exercise may need the kiosk to meet a card
 * it must refuse: one it cannot prove to be a simulator card (treated as a real card, read only),
 * an IC card that is no My Number card, or a card that answers a read with an error. The card file
 * says which (`presentAs`); the slot daemon wraps the running card accordingly, so the kiosk meets
 * it over the very same PC/SC path. Absent = an ordinary simulator card.
 */
import { encodeResponse, parseCommand } from '../apdu/apdu';
import { SW } from '../apdu/status';
import { INS } from '../jpki/constants';
import { SIMULATOR_AID } from '../jpki/simulator-marker';
import type { VirtualCard } from '../vpcd/virtual-card';

export type CardPresentation = 'real-card' | 'other-ic-card' | 'faulty-card';

export const CARD_PRESENTATIONS: readonly CardPresentation[] = ['real-card', 'other-ic-card', 'faulty-card'];

/** SELECT by DF name (AID). */
const SELECT_BY_AID = 0x04;

/**
 * Whether this command is answered by the presentation instead of the card, and with which status:
 * - real-card: the simulator-only application is not there (6A 82), as on every real card;
 * - other-ic-card: no application the kiosk knows is there (6A 82 to every SELECT by AID);
 * - faulty-card: every READ BINARY fails with 6F 00 (no precise diagnosis), as a damaged chip may.
 */
export function presentationAnswer(how: CardPresentation, apdu: Buffer): number | null {
  let cmd;
  try {
    cmd = parseCommand(apdu);
  } catch {
    return null;
  }
  const selectByAid = cmd.ins === INS.SELECT && cmd.p1 === SELECT_BY_AID;
  switch (how) {
    case 'real-card':
      return selectByAid && Buffer.from(cmd.data).equals(SIMULATOR_AID) ? SW.FILE_NOT_FOUND : null;
    case 'other-ic-card':
      return selectByAid ? SW.FILE_NOT_FOUND : null;
    case 'faulty-card':
      return cmd.ins === INS.READ_BINARY ? SW.NO_PRECISE_DIAGNOSIS : null;
  }
}

/** `card` as it presents itself `how`; everything else reaches the card itself. */
export function presentedAs(card: VirtualCard, how: CardPresentation): VirtualCard {
  return {
    atr: card.atr,
    powerOn: () => card.powerOn(),
    powerOff: () => card.powerOff(),
    reset: () => card.reset(),
    transmit(apdu: Buffer) {
      const sw = presentationAnswer(how, apdu);
      return sw === null ? card.transmit(apdu) : encodeResponse(undefined, sw);
    },
  };
}
