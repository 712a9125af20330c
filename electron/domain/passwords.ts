/**
 * The four passwords (暗証番号) on a My Number card, as the kiosk, the center and the renderer's
 * live validation use them (docs/domain-rules.md §1). Formats and retry limits are defined once, in
 * native/jpki/passwords.ts beside the card's other public facts, and re-exported here.
 */

import type { ResetKind } from '../../native/jpki/passwords';

// The card's own rules, defined beside its other public facts so the virtual card can enforce them
// without importing electron/; this module adds only what the kiosk procedure decides.
export {
  isValidPassword,
  normalizeSignPassword,
  PASSWORD_RULES,
  passwordFormatProblem,
  type PasswordFormatProblem,
  type PasswordKind,
  type PasswordRule,
  type ResetKind,
  type VerifyOutcome,
} from '../../native/jpki/passwords';

/** The password that must be verified to reset `kind` at a kiosk (the "other" one). */
export function otherPassword(kind: ResetKind): ResetKind {
  return kind === 'sign' ? 'auth' : 'sign';
}
