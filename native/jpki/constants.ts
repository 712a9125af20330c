/**
 * The My Number card's public command set facts (docs/card.md), shared by the virtual card that
 * answers them and the kiosk's JPKI client that sends them, so the two cannot drift apart.
 */

/** Application AIDs (docs/card.md §2). */
export const AID = {
  /** 公的個人認証AP */
  JPKI: Buffer.from('D392F000260100000001', 'hex'),
  /** 券面事項入力補助AP */
  TEXT: Buffer.from('D3921000310001010408', 'hex'),
  /** 券面AP (券面事項確認AP) */
  VISUAL: Buffer.from('D3921000310001010402', 'hex'),
  /** 住基AP (U) */
  JUKI: Buffer.from('D3921000310001010100', 'hex'),
} as const;

/** EF ids inside the JPKI AP (docs/card.md §3). */
export const JPKI_EF = {
  SIGN_CERT: 0x0001,
  SIGN_CA_CERT: 0x0002,
  TOKEN: 0x0006,
  CERT_PRESENCE: 0x0008,
  AUTH_CERT: 0x000a,
  AUTH_CA_CERT: 0x000b,
  AUTH_KEY: 0x0017,
  AUTH_PIN: 0x0018,
  SIGN_KEY: 0x001a,
  SIGN_PIN: 0x001b,
} as const;

/** EF ids inside the text AP (docs/card.md §6). */
export const TEXT_EF = {
  MY_NUMBER: 0x0001,
  BASIC_INFO: 0x0002,
  SIGNATURE: 0x0003,
  CV_CERT: 0x0004,
  AP_INFO: 0x0005,
  PIN: 0x0011,
  PIN_A: 0x0014,
  PIN_B: 0x0015,
} as const;

/** EF ids inside the visual AP (docs/card.md §6). */
export const VISUAL_EF = {
  BIRTH: 0x0001,
  FACE: 0x0002,
  AP_INFO: 0x0003,
  CERT: 0x0004,
  MY_NUMBER_IMAGE: 0x0005,
  PIN_B: 0x0012,
  PIN_A: 0x0013,
} as const;

/** The 住基AP's PIN EF (docs/card.md §6, uncertain). */
export const JUKI_PIN_EF = 0x001c;

/** Token EF content, space-padded to 32 bytes (docs/card.md §1). */
export const TOKEN_MY_NUMBER_CARD = 'JPKIAPICCTOKEN2';

/** ATRs (docs/card.md §1). The virtual card presents the one OpenSC's jpki driver matches. */
export const ATR = {
  OPENSC_JPKI: Buffer.from('3BE000FF8131FE4514', 'hex'),
  MY_NUMBER_CONTACT_2017: Buffer.from('3BC5FF8131FB458073C6010000', 'hex'),
} as const;

/** P2 = 0x80 | short EF id addresses a PIN without a SELECT (docs/card.md §4). */
export function pinRef(efId: number): number {
  return 0x80 | (efId & 0x1f);
}

/** The simulator's reset protocol addresses the two resettable PINs by these refs (docs/reset-protocol.md). */
export const RESET_PIN_REF = {
  sign: pinRef(JPKI_EF.SIGN_PIN), // 0x9B
  auth: pinRef(JPKI_EF.AUTH_PIN), // 0x98
} as const;

/** Class bytes: ISO interindustry, and the proprietary class of the signature and the reset receipt. */
export const CLA = {
  ISO: 0x00,
  PROPRIETARY: 0x80,
} as const;

/** Instruction bytes. */
export const INS = {
  SELECT: 0xa4,
  READ_BINARY: 0xb0,
  VERIFY: 0x20,
  CHANGE_REFERENCE_DATA: 0x24,
  RESET_RETRY_COUNTER: 0x2c,
  GET_CHALLENGE: 0x84,
  EXTERNAL_AUTHENTICATE: 0x82,
  /** COMPUTE DIGITAL SIGNATURE, proprietary CLA 80 (docs/card.md §5). */
  COMPUTE_SIGNATURE: 0x2a,
  READ_RECORD: 0xb2,
  /**
   * GET RESET RECEIPT, the simulator's own command under proprietary CLA 80 (see reset-receipt.ts).
   * INS CA under CLA 00 is ISO GET DATA, which the card does not offer (6D 00).
   */
  GET_RESET_RECEIPT: 0xca,
} as const;

export const CHALLENGE_LENGTH = 8;
export const RESET_MAC_LENGTH = 16;

/** The receipt's count is 2 bytes; a card whose count reached this takes no further reset. */
export const RESET_COUNT_MAX = 0xffff;
/**
 * The card's count of challenges given out is 4 bytes in the receipt and never goes back: a card
 * whose count reached this gives no further challenge (69 85) rather than wrap.
 */
export const CHALLENGE_COUNT_MAX = 0xffffffff;
