/**
 * Typed errors of the JPKI client. Messages name the step and the status word, never a PIN value.
 */
import { describeSw, SW } from '../../native/apdu/status';

export type JpkiErrorCode =
  /** The channel failed (card removed, reader gone). */
  | 'TRANSPORT'
  /** The card answered something that is not a response APDU, or data of the wrong shape. */
  | 'BAD_RESPONSE'
  /** No JPKI AP, or not a My Number card token. */
  | 'NOT_JPKI'
  | 'FILE_NOT_FOUND'
  /** 69 82: a PIN must be verified first. */
  | 'SECURITY_STATUS'
  /** 69 83 / 69 84: the PIN is blocked (or absent). */
  | 'PIN_LOCKED'
  /** 6A 80: the card refused the new value's format. */
  | 'WRONG_DATA'
  /** 63 00: EXTERNAL AUTHENTICATE refused the MAC. */
  | 'AUTH_FAILED'
  /** 69 85: e.g. EXTERNAL AUTHENTICATE without a fresh challenge. */
  | 'CONDITIONS_NOT_SATISFIED'
  /** 65 81: the card could not store the change; nothing changed. */
  | 'MEMORY_FAILURE'
  | 'BAD_CERTIFICATE'
  /** A value the client refuses to send (wrong length or characters). */
  | 'INVALID_INPUT'
  /** A command that changes a card was about to go to a card not proven to be a simulator card. */
  | 'REAL_CARD_READ_ONLY'
  | 'UNEXPECTED_SW';

export class JpkiError extends Error {
  constructor(
    readonly code: JpkiErrorCode,
    message: string,
    /** The status word, when the card gave one. */
    readonly sw?: number,
    options?: { cause?: unknown },
  ) {
    super(sw === undefined ? message : `${message} (${describeSw(sw)})`, options);
    this.name = 'JpkiError';
  }
}

/** The error for an unexpected status word during `step`. */
export function swError(step: string, sw: number): JpkiError {
  switch (sw) {
    case SW.FILE_NOT_FOUND:
      return new JpkiError('FILE_NOT_FOUND', `${step}: not on this card`, sw);
    case SW.SECURITY_STATUS_NOT_SATISFIED:
      return new JpkiError('SECURITY_STATUS', `${step}: the PIN must be verified first`, sw);
    case SW.AUTH_METHOD_BLOCKED:
    case SW.REFERENCE_DATA_NOT_USABLE:
      return new JpkiError('PIN_LOCKED', `${step}: the PIN is locked`, sw);
    case SW.WRONG_DATA:
      return new JpkiError('WRONG_DATA', `${step}: the card refused the value's format`, sw);
    case SW.AUTHENTICATION_FAILED:
      return new JpkiError('AUTH_FAILED', `${step}: the card refused the authorization`, sw);
    case SW.CONDITIONS_NOT_SATISFIED:
      return new JpkiError('CONDITIONS_NOT_SATISFIED', `${step}: conditions not satisfied`, sw);
    case SW.MEMORY_FAILURE:
      return new JpkiError('MEMORY_FAILURE', `${step}: the card could not store the change`, sw);
    default:
      return new JpkiError('UNEXPECTED_SW', `${step}: unexpected answer`, sw);
  }
}
