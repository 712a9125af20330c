/**
 * Typed errors of the PC/SC reader service. Every failure the service reports is a PcscError whose
 * `code` says what happened in the terms the kiosk acts on; `scardCode` keeps pcsc-lite's number
 * when there was one.
 */

export type PcscErrorCode =
  /** pcscd is not running or went away (the service keeps retrying by itself). */
  | 'PCSCD_NOT_RUNNING'
  /** The `pcsclite` native module is missing (not built): nothing will work until it is. */
  | 'PCSC_LIBRARY_MISSING'
  /** No reader matches the one asked for. */
  | 'NO_READER'
  /** The reader was unplugged while in use. */
  | 'READER_REMOVED'
  /** The reader holds no card. */
  | 'NO_CARD'
  /** The card was taken out while connected or during a command. */
  | 'CARD_REMOVED'
  /** The card was reset (by another application) since we connected. */
  | 'CARD_RESET'
  /** The card does not answer reset or commands. */
  | 'CARD_UNRESPONSIVE'
  /** Another application holds the card exclusively (or we asked for exclusive use of a shared card). */
  | 'SHARING_VIOLATION'
  /** A command or a connect took longer than its time limit. */
  | 'TIMEOUT'
  /** This service already has a connection to that reader. */
  | 'ALREADY_CONNECTED'
  /** The channel was disconnected (by us, by a timeout, or by service.close()). */
  | 'CHANNEL_CLOSED'
  /** The reader service was closed. */
  | 'SERVICE_CLOSED'
  /**
   * The command given is not an APDU (shorter than CLA INS P1 P2, or longer than 65544 bytes); it
   * was not sent, and the channel stays usable.
   */
  | 'INVALID_APDU'
  /** The card's answer had no status word. */
  | 'BAD_RESPONSE'
  /** Any other PC/SC failure; see `scardCode`. */
  | 'PCSC_FAILURE';

export class PcscError extends Error {
  constructor(
    readonly code: PcscErrorCode,
    message: string,
    readonly scardCode?: number,
  ) {
    super(message);
    this.name = 'PcscError';
  }
}

export function isPcscError(err: unknown, code?: PcscErrorCode): err is PcscError {
  return err instanceof PcscError && (code === undefined || err.code === code);
}

/** pcsc-lite return codes the service distinguishes (pcsclite.h). */
export const SCARD_E = {
  CANCELLED: 0x80100002,
  INVALID_HANDLE: 0x80100003,
  UNKNOWN_READER: 0x80100009,
  TIMEOUT: 0x8010000a,
  SHARING_VIOLATION: 0x8010000b,
  NO_SMARTCARD: 0x8010000c,
  PROTO_MISMATCH: 0x8010000f,
  F_COMM_ERROR: 0x80100013,
  NOT_TRANSACTED: 0x80100016,
  READER_UNAVAILABLE: 0x80100017,
  NO_SERVICE: 0x8010001d,
  SERVICE_STOPPED: 0x8010001e,
  NO_READERS_AVAILABLE: 0x8010002e,
  COMM_DATA_LOST: 0x8010002f,
  W_UNRESPONSIVE_CARD: 0x80100066,
  W_UNPOWERED_CARD: 0x80100067,
  W_RESET_CARD: 0x80100068,
  W_REMOVED_CARD: 0x80100069,
} as const;

/**
 * The binding's errors read "SCardTransmit error: Card was removed.(0x80100069)"; returns the
 * number in brackets, or undefined for an error of another shape.
 */
export function scardCodeOf(err: unknown): number | undefined {
  const m = err instanceof Error ? /\(0x([0-9a-fA-F]{8})\)\s*$/.exec(err.message) : null;
  return m ? Number.parseInt(m[1]!, 16) : undefined;
}

const BY_SCARD = new Map<number, PcscErrorCode>([
  [SCARD_E.NO_SERVICE, 'PCSCD_NOT_RUNNING'],
  [SCARD_E.SERVICE_STOPPED, 'PCSCD_NOT_RUNNING'],
  [SCARD_E.F_COMM_ERROR, 'PCSCD_NOT_RUNNING'],
  [SCARD_E.NO_READERS_AVAILABLE, 'NO_READER'],
  [SCARD_E.UNKNOWN_READER, 'READER_REMOVED'],
  [SCARD_E.READER_UNAVAILABLE, 'READER_REMOVED'],
  [SCARD_E.NO_SMARTCARD, 'CARD_REMOVED'],
  [SCARD_E.W_REMOVED_CARD, 'CARD_REMOVED'],
  [SCARD_E.W_RESET_CARD, 'CARD_RESET'],
  [SCARD_E.W_UNRESPONSIVE_CARD, 'CARD_UNRESPONSIVE'],
  [SCARD_E.W_UNPOWERED_CARD, 'CARD_UNRESPONSIVE'],
  [SCARD_E.SHARING_VIOLATION, 'SHARING_VIOLATION'],
  [SCARD_E.TIMEOUT, 'TIMEOUT'],
  [SCARD_E.INVALID_HANDLE, 'CHANNEL_CLOSED'],
]);

/** Translates a binding error into a PcscError (`during` names the operation for the message). */
export function fromNativeError(err: unknown, during: 'connect' | 'transmit' | 'disconnect' | 'status' | 'context'): PcscError {
  if (err instanceof PcscError) return err;
  const scard = scardCodeOf(err);
  const text = err instanceof Error ? err.message : String(err);
  let code = scard === undefined ? 'PCSC_FAILURE' : (BY_SCARD.get(scard) ?? 'PCSC_FAILURE');
  // Connecting to an empty reader is "no card", not "removed".
  if (during === 'connect' && scard === SCARD_E.NO_SMARTCARD) code = 'NO_CARD';
  if (during === 'connect' && scard === SCARD_E.UNKNOWN_READER) code = 'NO_READER';
  return new PcscError(code, `${during}: ${text}`, scard);
}

/**
 * Failures that by themselves do not say why the command failed: vpcd answers "not transacted"
 * (or an empty response) when the card's connection drops mid-command, a moment before pcscd
 * notices the card is gone. The service waits for pcscd's verdict before reporting these.
 */
export function isAmbiguousTransmitFailure(scard: number | undefined): boolean {
  return (
    scard === undefined ||
    scard === SCARD_E.NOT_TRANSACTED ||
    scard === SCARD_E.COMM_DATA_LOST ||
    scard === SCARD_E.W_UNRESPONSIVE_CARD ||
    scard === SCARD_E.W_UNPOWERED_CARD
  );
}
