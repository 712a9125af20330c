/**
 * The four passwords (暗証番号) on a My Number card as the card holds and enforces them: names,
 * formats, retry limits, and which two a kiosk can reset. The virtual card checks them here, and the
 * kiosk core, the center and the renderer get them through electron/domain/passwords, which
 * re-exports this module (native/ may not import electron/, so the card's rules cannot live there).
 *
 * Pure: no Node APIs, because the renderer bundles it.
 */

/** The two JPKI passwords a kiosk can reset. */
export type ResetKind = 'sign' | 'auth';
/** All four passwords on the card. */
export type PasswordKind = ResetKind | 'juki' | 'text';

/**
 * What presenting a value to a password yields: the one vocabulary from the JPKI client through the
 * kiosk's and the booking flow's ports to the screens. `locked` is ISO 7816's "authentication method
 * blocked" (69 83 / 63 C0): the card did not check the value.
 */
export type VerifyOutcome =
  | { readonly result: 'verified' }
  /** Wrong value; `triesLeft` after this try (0 = now locked). */
  | { readonly result: 'wrong'; readonly triesLeft: number }
  | { readonly result: 'locked' };

export interface PasswordRule {
  readonly kind: PasswordKind;
  readonly labelJa: string;
  readonly labelEn: string;
  readonly minLength: number;
  readonly maxLength: number;
  /** Wrong tries before the password locks. */
  readonly maxTries: number;
  readonly resettableAtKiosk: boolean;
}

export const PASSWORD_RULES: Readonly<Record<PasswordKind, PasswordRule>> = {
  sign: {
    kind: 'sign',
    labelJa: '署名用電子証明書のパスワード',
    labelEn: 'Signature certificate password',
    minLength: 6,
    maxLength: 16,
    maxTries: 5,
    resettableAtKiosk: true,
  },
  auth: {
    kind: 'auth',
    labelJa: '利用者証明用電子証明書の暗証番号',
    labelEn: 'User authentication PIN',
    minLength: 4,
    maxLength: 4,
    maxTries: 3,
    resettableAtKiosk: true,
  },
  juki: {
    kind: 'juki',
    labelJa: '住民基本台帳用暗証番号',
    labelEn: 'Resident registry PIN',
    minLength: 4,
    maxLength: 4,
    maxTries: 3,
    resettableAtKiosk: false,
  },
  text: {
    kind: 'text',
    labelJa: '券面事項入力補助用暗証番号',
    labelEn: 'Card-text input PIN',
    minLength: 4,
    maxLength: 4,
    maxTries: 3,
    resettableAtKiosk: false,
  },
};

/** Why a candidate password is not acceptable; `null` when it is. Codes the UI translates. */
export type PasswordFormatProblem =
  | 'empty'
  | 'too-short'
  | 'too-long'
  | 'digits-only-allowed'
  | 'invalid-character'
  | 'needs-letter'
  | 'needs-digit';

/**
 * Checks a password's format. The signature password is compared as typed: the kiosk keyboard only
 * offers upper-case letters, and the card stores what it is sent (myna upper-cases before sending;
 * use `normalizeSignPassword` for typed input from elsewhere).
 */
export function passwordFormatProblem(kind: PasswordKind, value: string): PasswordFormatProblem | null {
  const rule = PASSWORD_RULES[kind];
  if (value.length === 0) return 'empty';
  if (kind === 'sign') {
    if (!/^[A-Z0-9]*$/.test(value)) return 'invalid-character';
    if (value.length < rule.minLength) return 'too-short';
    if (value.length > rule.maxLength) return 'too-long';
    if (!/[A-Z]/.test(value)) return 'needs-letter';
    if (!/[0-9]/.test(value)) return 'needs-digit';
    return null;
  }
  if (!/^[0-9]*$/.test(value)) return 'digits-only-allowed';
  if (value.length < rule.minLength) return 'too-short';
  if (value.length > rule.maxLength) return 'too-long';
  return null;
}

export function isValidPassword(kind: PasswordKind, value: string): boolean {
  return passwordFormatProblem(kind, value) === null;
}

/** The signature password as the card expects it: upper-case ASCII. */
export function normalizeSignPassword(value: string): string {
  return value.toUpperCase();
}
