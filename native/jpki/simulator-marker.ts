/**
 * How anyone — above all the kiosk, which must never write to a real card — tells a simulator card
 * from a real My Number card. Two independent marks, both impossible on a real card:
 *
 * 1. Its certificates are issued by the simulator's test CAs, whose names start with
 *    "kiosk-sim TEST CA" (a real card's certificates are issued by J-LIS and burnt in at issue).
 * 2. It has a simulator-only application, AID `F0 6B 69 6F 73 6B 2D 73 69 6D` ("\xF0kiosk-sim": the
 *    F0 prefix is ISO 7816-5's proprietary, unregistered category). A real card answers 6A 82 to it,
 *    like to any AID it does not have. Its EF 0001 holds the facts a real kiosk would learn from
 *    the center or the card face (card expiry, whether a certificate lapsed), as UTF-8 JSON.
 *
 * The kiosk treats a card as a simulator card only when both marks agree (electron/jpki).
 * This module holds constants and a parser only, so the kiosk client can import it.
 */

export const TEST_CA_NAME_PREFIX = 'kiosk-sim TEST CA';

export const SIMULATOR_AID = Buffer.from('F06B696F736B2D73696D', 'hex');

export const SIMULATOR_INFO_EF = 0x0001;

export const SIMULATOR_INFO_FORMAT = 'kiosk-sim/simulator-info@1';

export interface SimulatorInfo {
  readonly format: typeof SIMULATOR_INFO_FORMAT;
  readonly notice: string;
  readonly cardId: string;
  readonly persona: string;
  /** YYYY-MM-DD, as printed on the card face. */
  readonly cardExpiry: string;
  /** Revocation status, which a real kiosk would learn from the center; expiry follows from the certificates. */
  readonly certificates: { readonly auth: 'active' | 'lapsed'; readonly sign: 'active' | 'lapsed' | 'not-issued' };
  /**
   * The signature certificate's notAfter (ISO 8601), when issued: its EF is unreadable without the
   * very password a kiosk reset is for, so the kiosk learns its expiry here (a real kiosk: from the center).
   */
  readonly signNotAfter?: string;
}

export function parseSimulatorInfo(bytes: Uint8Array): SimulatorInfo | undefined {
  try {
    const v = JSON.parse(Buffer.from(bytes).toString('utf8')) as Partial<SimulatorInfo>;
    if (v.format !== SIMULATOR_INFO_FORMAT || typeof v.cardId !== 'string' || typeof v.cardExpiry !== 'string') return undefined;
    if (typeof v.certificates !== 'object' || v.certificates === null) return undefined;
    return v as SimulatorInfo;
  } catch {
    return undefined;
  }
}
