/**
 * Which store chains offer which kiosk reset (docs/domain-rules.md §7). The store profile of a
 * simulated kiosk names one of these; the 利用者証明用 button is shown only where it is offered.
 */
import type { ResetKind } from './passwords';

export type ChainId = 'seven-eleven' | 'familymart' | 'lawson' | 'ministop' | 'aeon' | 'other-fujifilm';

export interface Chain {
  readonly id: ChainId;
  readonly nameJa: string;
  readonly nameEn: string;
  readonly offers: readonly ResetKind[];
}

export const CHAINS: Readonly<Record<ChainId, Chain>> = {
  'seven-eleven': { id: 'seven-eleven', nameJa: 'セブン-イレブン', nameEn: 'Seven-Eleven', offers: ['sign', 'auth'] },
  familymart: { id: 'familymart', nameJa: 'ファミリーマート', nameEn: 'FamilyMart', offers: ['sign'] },
  lawson: { id: 'lawson', nameJa: 'ローソン', nameEn: 'Lawson', offers: ['sign'] },
  ministop: { id: 'ministop', nameJa: 'ミニストップ', nameEn: 'Ministop', offers: ['sign'] },
  // AEON Retail, Honshu and Shikoku ("AEON", "AEON STYLE").
  aeon: { id: 'aeon', nameJa: 'イオン(本州・四国)', nameEn: 'AEON (Honshu, Shikoku)', offers: ['sign', 'auth'] },
  'other-fujifilm': {
    id: 'other-fujifilm',
    nameJa: 'その他(富士フイルムBI端末設置店)',
    nameEn: 'Other store with a FUJIFILM BI kiosk',
    offers: ['sign'],
  },
};

export function chainOffers(chain: ChainId, kind: ResetKind): boolean {
  return CHAINS[chain].offers.includes(kind);
}

/** Chains to suggest when this one does not offer `kind`. */
export function chainsOffering(kind: ResetKind): Chain[] {
  return Object.values(CHAINS).filter((c) => c.offers.includes(kind));
}
