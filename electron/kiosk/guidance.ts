/**
 * Guidance screens: every refusal says why (the reason) and where to go next
 * (docs/kiosk-flow.md §3). Pure: the reason, the chosen reset and a few facts decide the screen.
 */
import type { CardChange, GuidanceReason, NextStep, ScreenOf } from '../contract/kiosk';
import { chainsOffering } from '../domain/chains';
import type { ResetKind } from '../domain/passwords';

export type GuidanceScreen = ScreenOf<'guidance'>;

export interface GuidanceFacts {
  /** The reset the citizen chose, if any. */
  readonly kind?: ResetKind | null;
  /** What happened to the card; omit where no card was involved. */
  readonly changed?: CardChange | null;
  /** For outside-hours / maintenance: when the service opens (epoch ms). */
  readonly opensAt?: number | null;
}

/** The next step for a reason. A few depend on which reset was chosen. */
export function nextStepFor(reason: GuidanceReason, kind: ResetKind | null): NextStep {
  switch (reason) {
    case 'outside-hours':
    case 'maintenance':
      return 'come-back-when-open';
    case 'no-reservation':
    case 'reservation-expired':
    case 'reservation-used':
      return 'book-in-app';
    case 'app-locked':
    case 'card-expired':
    case 'counter-only-pin':
      return 'municipal-counter';
    case 'chain-does-not-offer':
      return 'other-store-or-counter';
    case 'other-password-locked':
    case 'both-passwords-locked':
    case 'both-passwords-unknown':
      return 'municipal-counter-with-id';
    case 'no-signature-certificate':
      // Resetting the signature password: there is none to reset. Resetting the auth PIN: the
      // other password (the signature one) does not exist, so the kiosk cannot verify the citizen.
      return kind === 'auth' ? 'municipal-counter-with-id' : 'nothing-to-do';
    case 'certificate-revoked':
    case 'certificate-expired':
      return 'municipal-counter-reissue';
    case 'real-card':
      return 'use-simulator-card';
    case 'reset-already-done':
      return 'nothing-to-do';
    case 'not-my-number-card':
    case 'card-removed':
      return 'start-again';
    case 'reader-unavailable':
    case 'center-unavailable':
    case 'card-error':
      return 'try-later-or-ask-staff';
  }
}

/** The guidance screen for `reason`. */
export function guidance(reason: GuidanceReason, facts: GuidanceFacts = {}): GuidanceScreen {
  const kind = facts.kind ?? null;
  return {
    id: 'guidance',
    reason,
    next: nextStepFor(reason, kind),
    kind,
    changed: facts.changed ?? null,
    opensAt: facts.opensAt ?? null,
    chains: reason === 'chain-does-not-offer' && kind !== null ? chainsOffering(kind).map((c) => c.id) : [],
  };
}
