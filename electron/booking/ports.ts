/**
 * What the smartphone-app simulator's booking flow needs from the card and from the center. The
 * flow (flow.ts) is written against these; jpki-card.ts adapts the kiosk's JPKI client over PC/SC,
 * and the center's AppCenterClient (electron/center/client.ts) fits BookingCenter as it is.
 */
import type { ResetKind, VerifyOutcome } from '../domain/passwords';
import type { AppCardStatus, BookingReceipt, BookingRequest, LockView } from '../center/schemas';

/** What the app reads off a photo of the card front (OCR in the real app; typed in the simulator). */
export interface CardFront {
  /** YYYY-MM-DD */
  readonly birthDate: string;
  /** The card's expiry date, YYYY-MM-DD. */
  readonly cardExpiry: string;
  /** The 4-digit security code (セキュリティコード). */
  readonly securityCode: string;
}

export interface CardIdentityFacts {
  /** The auth certificate's serial number: the center's card id. */
  readonly cardId: string;
  /** Proved to be a kiosk-sim simulator card; a real card is only ever read. */
  readonly simulator: boolean;
  /** Whether the card holds a signature certificate (none under 15). */
  readonly hasSignCertificate: boolean;
}

/** The card-front check, in the same words as a password's VerifyOutcome. */
export type CardFrontResult =
  | { readonly result: 'match' }
  /** The card refused the 照合番号B, or its face disagrees with what was typed. */
  | { readonly result: 'mismatch'; readonly triesLeft: number }
  /** 照合番号B is locked: the card did not check the value. */
  | { readonly result: 'locked' };

export interface BookingCard {
  /** Reads the card's identity; sends nothing that changes it. */
  identify(): Promise<CardIdentityFacts>;
  /**
   * Checks the card-front data against the card (券面AP 照合番号B, then the face fields). A wrong
   * 照合番号B costs a try on the card, so it is sent only to a card identified as a simulator card.
   */
  checkCardFront(front: CardFront): Promise<CardFrontResult>;
  /** Tries left of a JPKI password, without spending one. */
  triesLeft(kind: ResetKind): Promise<number>;
  /** VERIFY on the card: a wrong value really costs a try. */
  verifyPassword(kind: ResetKind, value: string): Promise<VerifyOutcome>;
}

/** The center's app API; throws CenterError (electron/center/client.ts). */
export interface BookingCenter {
  cardStatus(cardId: string): Promise<AppCardStatus>;
  faceCheck(cardId: string, passed: boolean): Promise<LockView>;
  book(req: BookingRequest): Promise<BookingReceipt>;
}
