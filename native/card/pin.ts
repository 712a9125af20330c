/**
 * PIN objects with retry counters, as the card holds them.
 *
 * Formats and retry limits of the four passwords come from native/jpki/passwords.ts (the one
 * place those rules live). The 照合番号 A/B of the text and visual APs are not passwords a holder
 * chooses: they are the my number (12 digits) and birth YYMMDD ‖ expiry year ‖ security code
 * (14 digits), printed on the card.
 */
import crypto from 'node:crypto';
import { PASSWORD_RULES, passwordFormatProblem, type PasswordKind } from '../jpki/passwords';
import type { SimulatorKey } from './simulator-key';

/** Every PIN object on the card, by application. */
export type PinId = 'auth' | 'sign' | 'text' | 'textA' | 'textB' | 'visualA' | 'visualB' | 'juki';

export const PIN_IDS: readonly PinId[] = ['auth', 'sign', 'text', 'textA', 'textB', 'visualA', 'visualB', 'juki'];

export interface PinPolicy {
  readonly id: PinId;
  readonly labelJa: string;
  readonly minLength: number;
  readonly maxLength: number;
  readonly maxTries: number;
  /** The domain password this PIN is, when the holder chooses it (and may change it). */
  readonly password?: PasswordKind;
}

/**
 * Tries for 照合番号 A/B are not published; 10 is the simulator's choice (uncertain) — high enough
 * that reading the card face with a mistyped security code does not lock it at once.
 */
export const MATCHING_NUMBER_TRIES = 10;

function fromPassword(id: PinId, kind: PasswordKind): PinPolicy {
  const r = PASSWORD_RULES[kind];
  return { id, labelJa: r.labelJa, minLength: r.minLength, maxLength: r.maxLength, maxTries: r.maxTries, password: kind };
}

export const PIN_POLICIES: Readonly<Record<PinId, PinPolicy>> = {
  auth: fromPassword('auth', 'auth'),
  sign: fromPassword('sign', 'sign'),
  text: fromPassword('text', 'text'),
  juki: fromPassword('juki', 'juki'),
  textA: { id: 'textA', labelJa: '照合番号A(券面事項入力補助AP)', minLength: 12, maxLength: 12, maxTries: MATCHING_NUMBER_TRIES },
  textB: { id: 'textB', labelJa: '照合番号B(券面事項入力補助AP)', minLength: 14, maxLength: 14, maxTries: MATCHING_NUMBER_TRIES },
  visualA: { id: 'visualA', labelJa: '照合番号A(券面AP)', minLength: 12, maxLength: 12, maxTries: MATCHING_NUMBER_TRIES },
  visualB: { id: 'visualB', labelJa: '照合番号B(券面AP)', minLength: 14, maxLength: 14, maxTries: MATCHING_NUMBER_TRIES },
};

/** A PIN as the card file stores it: no plain value (see simulator-key.ts). */
export interface PinRecord {
  readonly triesLeft: number;
  /** base64 random salt for the verifier. */
  readonly salt: string;
  /** base64 HMAC(simulator key, salt ‖ value). */
  readonly verifier: string;
  /** The value sealed for the trainer's `status --show-pins`. */
  readonly sealed: string;
}

/** AAD that binds a sealed PIN to its card and slot. */
export function pinAad(cardId: string, pin: PinId): string {
  return `kiosk-sim card ${cardId} pin ${pin}`;
}

export function makePinRecord(key: SimulatorKey, cardId: string, pin: PinId, value: string, triesLeft: number): PinRecord {
  const salt = crypto.randomBytes(16);
  const bytes = Buffer.from(value, 'ascii');
  return {
    triesLeft,
    salt: salt.toString('base64'),
    verifier: key.verifier(salt, bytes).toString('base64'),
    sealed: key.seal(bytes, pinAad(cardId, pin)),
  };
}

/** Constant-time comparison of a presented value against the record's verifier. */
export function pinMatches(key: SimulatorKey, record: PinRecord, presented: Uint8Array): boolean {
  const expected = Buffer.from(record.verifier, 'base64');
  const actual = key.verifier(Buffer.from(record.salt, 'base64'), presented);
  return expected.length === actual.length && crypto.timingSafeEqual(expected, actual);
}

export function revealPin(key: SimulatorKey, cardId: string, pin: PinId, record: PinRecord): string {
  return key.unseal(record.sealed, pinAad(cardId, pin)).toString('ascii');
}

/** The outcome of presenting a value to a PIN: what the card answers and the record to keep. */
export type PinCheck =
  | { readonly kind: 'verified'; readonly record: PinRecord }
  | { readonly kind: 'wrong'; readonly record: PinRecord; readonly triesLeft: number }
  | { readonly kind: 'locked' }
  | { readonly kind: 'wrong-length' };

/**
 * VERIFY as a pure step. A correct value restores the full count (a correct entry resets the count,
 * docs/domain-rules.md §2); a wrong one costs a try. A value of impossible length costs nothing and is
 * answered 67 00, as an ISO card rejects a malformed command before comparing.
 */
export function presentPin(key: SimulatorKey, policy: PinPolicy, record: PinRecord, presented: Uint8Array): PinCheck {
  if (record.triesLeft <= 0) return { kind: 'locked' };
  if (presented.length < policy.minLength || presented.length > policy.maxLength) return { kind: 'wrong-length' };
  if (pinMatches(key, record, presented)) {
    return { kind: 'verified', record: record.triesLeft === policy.maxTries ? record : { ...record, triesLeft: policy.maxTries } };
  }
  const triesLeft = record.triesLeft - 1;
  return { kind: 'wrong', record: { ...record, triesLeft }, triesLeft };
}

/**
 * Whether `value` may become the new value of `pin` (CHANGE REFERENCE DATA, RESET RETRY COUNTER).
 * Only holder-chosen passwords can change, and only to a value of the domain format.
 */
export function newValueProblem(policy: PinPolicy, value: string): string | null {
  if (policy.password === undefined) return 'not-changeable';
  return passwordFormatProblem(policy.password, value);
}
