/**
 * What the app says when it refuses to book: why, and where to go next (docs/domain-rules.md §3:
 * every refusal says both). The same reasons and advice as the CLI (electron/booking/messages.ts), as
 * i18n keys. Pure, so every reason is checked to have words in both languages.
 */
import type { AppStateOf, BookingRefusal } from '@contract/app';
import type { TextKey } from '../i18n';

type NextStep = 'try-after' | 'try-later' | 'counter' | 'use-simulator-card' | 'apply-at-counter' | 'hold-again' | 'start-over';

const NEXT: Readonly<Record<BookingRefusal, NextStep>> = {
  maintenance: 'try-later',
  'app-locked': 'counter',
  'real-card': 'use-simulator-card',
  'no-sign-certificate': 'apply-at-counter',
  'no-other-password': 'counter',
  'card-front-locked': 'counter',
  'password-locked': 'counter',
  'card-unavailable': 'hold-again',
  'center-unavailable': 'try-later',
  'center-refused': 'start-over',
};

export interface RefusalText {
  readonly why: TextKey;
  readonly next: TextKey;
  /** For try-after: when (center clock, epoch ms). */
  readonly time: number | null;
}

export function refusalText(s: AppStateOf<'refused'>): RefusalText {
  const why: TextKey = s.reason === 'password-locked' ? `phone.refused.reason.password-locked.${s.kind ?? 'unknown'}` : `phone.refused.reason.${s.reason}`;
  if (s.reason === 'maintenance' && s.until !== null) return { why, next: 'phone.refused.nextStep.try-after', time: s.until };
  return { why, next: `phone.refused.nextStep.${NEXT[s.reason]}`, time: null };
}
