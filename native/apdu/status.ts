/**
 * Status words (SW1 SW2) the kiosk and the virtual card use, with names from ISO 7816-4.
 * Keeping them in one table makes logs readable and keeps the card and the client in step.
 */
export const SW = {
  OK: 0x9000,
  /** 63 Cx: verification failed / tries left x. JPKI answers an empty VERIFY with this too. */
  VERIFY_FAILED_BASE: 0x63c0,
  /** 63 00: authentication failed (EXTERNAL AUTHENTICATE with a wrong MAC). */
  AUTHENTICATION_FAILED: 0x6300,
  WRONG_LENGTH: 0x6700,
  LOGICAL_CHANNEL_NOT_SUPPORTED: 0x6881,
  SECURE_MESSAGING_NOT_SUPPORTED: 0x6882,
  CHAINING_NOT_SUPPORTED: 0x6884,
  /** 69 81: e.g. READ BINARY on a PIN or key EF. */
  COMMAND_INCOMPATIBLE: 0x6981,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  AUTH_METHOD_BLOCKED: 0x6983,
  REFERENCE_DATA_NOT_USABLE: 0x6984,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  COMMAND_NOT_ALLOWED_NO_EF: 0x6986,
  WRONG_DATA: 0x6a80,
  FUNCTION_NOT_SUPPORTED: 0x6a81,
  FILE_NOT_FOUND: 0x6a82,
  RECORD_NOT_FOUND: 0x6a83,
  INCORRECT_P1P2: 0x6a86,
  REFERENCE_DATA_NOT_FOUND: 0x6a88,
  WRONG_P1P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  NO_PRECISE_DIAGNOSIS: 0x6f00,
  /** 62 82: end of file reached before Le bytes (a short read). */
  END_OF_FILE: 0x6282,
  MEMORY_FAILURE: 0x6581,
} as const;

/** 63 Cx for x tries left (0–15). */
export function triesLeftSw(tries: number): number {
  return SW.VERIFY_FAILED_BASE | Math.max(0, Math.min(15, tries));
}

/** x of 63 Cx, or undefined when the SW is not of that form. */
export function triesLeftFromSw(sw: number): number | undefined {
  return (sw & 0xfff0) === SW.VERIFY_FAILED_BASE ? sw & 0x0f : undefined;
}

const NAMES = new Map<number, string>(Object.entries(SW).map(([k, v]) => [v, k]));

/** "6A82 FILE_NOT_FOUND", for logs and error messages. */
export function describeSw(sw: number): string {
  const code = sw.toString(16).toUpperCase().padStart(4, '0');
  const tries = triesLeftFromSw(sw);
  if (tries !== undefined) return `${code} VERIFY_FAILED (tries left ${tries})`;
  return `${code} ${NAMES.get(sw) ?? 'UNKNOWN'}`;
}
