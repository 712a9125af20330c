/**
 * The four passwords (暗証番号) on a My Number card: formats, retry limits and where each can be
 * reset. The single source of these rules for the card, the center, the kiosk core and the
 * renderer's live validation (docs/domain-rules.md §1).
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
} from '../../native/jpki/passwords';

/** The password that must be verified to reset `kind` at a kiosk (the "other" one). */
export function otherPassword(kind: ResetKind): ResetKind {
  return kind === 'sign' ? 'auth' : 'sign';
}
