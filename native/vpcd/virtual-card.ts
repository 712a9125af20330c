/**
 * What a virtual card implementation offers the vpcd transport. The transport knows nothing about
 * JPKI; the My Number card, a minimal test card and a bare benchmark responder all fit here.
 */
export interface VirtualCard {
  /** Answer To Reset the reader reports for this card. */
  readonly atr: Uint8Array;
  /** Power on (cold reset): volatile state such as verified PINs is cleared. */
  powerOn(): void;
  powerOff(): void;
  /** Warm reset: clears volatile state like a power cycle. */
  reset(): void;
  /**
   * Handles one command APDU and returns the response (data ‖ SW1 SW2). A card that persists state
   * must have written it durably before it returns.
   */
  transmit(apdu: Buffer): Buffer | Promise<Buffer>;
}
