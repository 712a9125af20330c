/**
 * The one thing the JPKI client needs from a reader: send a command APDU, get the response
 * (data ‖ SW1 SW2). The PC/SC reader service (native/pcsc) provides one per connected card; tests
 * and the smartphone-app simulator use an in-process channel straight to a virtual card.
 */
export interface CardChannel {
  transmit(apdu: Buffer): Promise<Buffer>;
}

/** A channel to anything with a (sync or async) `transmit`, e.g. a VirtualCard in the same process. */
export function directChannel(target: { transmit(apdu: Buffer): Buffer | Promise<Buffer> }): CardChannel {
  return { transmit: async (apdu) => target.transmit(apdu) };
}
