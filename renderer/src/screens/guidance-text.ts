/**
 * What a guidance screen says, from the reason code and the facts the core sent: why (title and
 * body), what happened to the card (said truthfully), and where to go next. Pure, so every reason
 * is checked to produce text in both languages.
 */
import type { ScreenOf } from '@contract/kiosk';
import type { ChainId } from '@domain/chains';
import type { TextKey } from '../i18n';

export interface GuidanceText {
  readonly title: TextKey;
  readonly body: readonly TextKey[];
  /** What happened to the card, when a card was involved. */
  readonly changed: TextKey | null;
  readonly next: { readonly key: TextKey; readonly opensAt: number | null };
  /** Stores that offer the reset, for other-store-or-counter. */
  readonly chains: readonly ChainId[];
}

export function guidanceText(screen: ScreenOf<'guidance'>): GuidanceText {
  const { reason, kind } = screen;
  const body: TextKey[] = [];
  if (reason === 'no-signature-certificate' && kind === 'auth') body.push('guidance.noSignatureForAuth');
  else body.push(`guidance.reason.${reason}.body`);
  // Which password is locked, when the screen knows the reset being done.
  if (reason === 'other-password-locked' && kind !== null) body.push(`guidance.lockedOther.${kind}`);

  const next =
    screen.next === 'come-back-when-open'
      ? screen.opensAt === null
        ? { key: 'guidance.nextStep.come-back-when-open-default' as const, opensAt: null }
        : { key: 'guidance.nextStep.come-back-when-open' as const, opensAt: screen.opensAt }
      : { key: `guidance.nextStep.${screen.next}` as const, opensAt: null };

  return {
    title: `guidance.reason.${reason}.title`,
    body,
    changed: screen.changed === null ? null : `guidance.changed.${screen.changed}`,
    next,
    chains: screen.next === 'other-store-or-counter' ? screen.chains : [],
  };
}
