/**
 * The card-front data the app reads off a photo of the card (birth date, card expiry, security
 * code) and the 照合番号B it becomes on the card: birth YYMMDD ‖ expiry year YYYY ‖ security code
 * (docs/card.md §6; 14 digits).
 */
import type { CardFront } from './ports';

export type CardFrontProblem = 'birth-date' | 'card-expiry' | 'security-code';

function isDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** The first field that cannot be right, or null. Checked before anything is sent to the card. */
export function cardFrontProblem(front: CardFront): CardFrontProblem | null {
  if (!isDate(front.birthDate)) return 'birth-date';
  if (!isDate(front.cardExpiry)) return 'card-expiry';
  if (!/^\d{4}$/.test(front.securityCode)) return 'security-code';
  return null;
}

/** "19900102" or "1990/01/02" or "1990-1-2" → "1990-01-02"; anything else unchanged. */
export function normalizeDate(input: string): string {
  const s = input.trim();
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (compact) return `${compact[1]}-${compact[2]}-${compact[3]}`;
  const parts = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s);
  if (parts) return `${parts[1]}-${parts[2]?.padStart(2, '0')}-${parts[3]?.padStart(2, '0')}`;
  return s;
}

/** 照合番号B (14 digits) for a well-formed card front. */
export function matchingNumberB(front: CardFront): string {
  return front.birthDate.replaceAll('-', '').slice(2) + front.cardExpiry.slice(0, 4) + front.securityCode;
}
