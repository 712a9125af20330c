/**
 * The one thing the JPKI client needs from a reader: send a command APDU, get the response.
 *
 * A channel may answer with the raw response bytes (data ‖ SW1 SW2) or with a parsed
 * `ResponseApdu`, so both an in-process virtual card and the PC/SC reader service's channel
 * (native/pcsc, whose `transmit` returns a ResponseApdu) can be passed to the client as they are.
 */
import type { ResponseApdu } from '../../native/apdu/apdu';

export interface CardChannel {
  transmit(apdu: Buffer): Promise<Buffer | ResponseApdu>;
}

/** A channel to anything with a (sync or async) `transmit`, e.g. a VirtualCard in the same process. */
export function directChannel(target: { transmit(apdu: Buffer): Buffer | Promise<Buffer> }): CardChannel {
  return { transmit: async (apdu) => target.transmit(apdu) };
}
