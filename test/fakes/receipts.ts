/**
 * Reset receipts as a simulator card would give them (native/jpki/reset-receipt.ts), for tests and
 * benches that speak to the center without a card: by default a card that never reset and whose
 * challenge number 1 is `challenge`.
 */
import type { ResetKind } from '../../electron/domain/passwords';
import { DEV_MASTER_KEY, diversifyResetKey } from '../../native/jpki/reset-mac';
import { encodeResetReceipt } from '../../native/jpki/reset-receipt';

export interface ReceiptFacts {
  readonly resetCount?: number;
  readonly lastChallenge?: string | null;
  readonly challengeSeq?: number;
  readonly masterKey?: Uint8Array;
}

const hexOf = (c: Uint8Array | string) => (typeof c === 'string' ? c.toUpperCase() : Buffer.from(c).toString('hex').toUpperCase());

/** The card's receipt for `kind`, made while it holds `challenge` (null: none). */
export function cardReceipt(cardId: string, kind: ResetKind, challenge: Uint8Array | string | null, facts: ReceiptFacts = {}): Buffer {
  const key = diversifyResetKey(facts.masterKey ?? DEV_MASTER_KEY, cardId);
  return encodeResetReceipt(key, kind, {
    resetCount: facts.resetCount ?? 0,
    lastChallenge: facts.lastChallenge ?? null,
    currentChallenge: challenge === null ? null : hexOf(challenge),
    challengeSeq: facts.challengeSeq ?? 1,
  });
}

/** The same as upper-case hex, as the center's API takes it. */
export function receiptHex(cardId: string, kind: ResetKind, challenge: Uint8Array | string | null, facts: ReceiptFacts = {}): string {
  return cardReceipt(cardId, kind, challenge, facts).toString('hex').toUpperCase();
}
