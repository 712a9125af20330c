/**
 * The booking flow's card, over the kiosk's JPKI client (electron/jpki) and any CardChannel — the
 * PC/SC reader service in the CLI, an in-process virtual card in tests.
 *
 * The card-front check is the app's: 照合番号B (birth YYMMDD ‖ expiry year ‖ security code) is
 * verified on the 券面AP, then the face file's birth and expiry dates are compared with what was
 * typed (照合番号B holds neither the century nor the expiry's month and day). Like every command
 * that can cost a try, it goes only to a card the JPKI client proved to be a simulator card.
 */
import { SW, triesLeftFromSw } from '../../native/apdu/status';
import { parseTlvs, readTlvHeader, TlvError } from '../../native/apdu/tlv';
import { INS, VISUAL_EF } from '../../native/jpki/constants';
import type { ResetKind, VerifyOutcome } from '../domain/passwords';
import { JpkiError, type JpkiClient } from '../jpki';
import { matchingNumberB } from './card-front';
import type { BookingCard, CardFront, CardFrontResult, CardIdentityFacts } from './ports';

const compact = (isoDate: string) => isoDate.replaceAll('-', '');

/** Birth date and card expiry (YYYYMMDD) from the 券面AP face file `FF20 {…, DF22 birth, …, DF29 expiry, …}`. */
export function parseFaceDates(ef: Uint8Array): { birth: string; expiry: string } {
  try {
    const h = readTlvHeader(ef);
    if (h.tag !== 0xff20) throw new JpkiError('BAD_RESPONSE', 'the face file does not start with FF20');
    const fields = new Map(parseTlvs(ef.subarray(h.headerLength, h.headerLength + h.valueLength)).map((t) => [t.tag, Buffer.from(t.value).toString('latin1')]));
    const birth = fields.get(0xdf22);
    const expiry = fields.get(0xdf29);
    if (!birth || !/^\d{8}$/.test(birth) || !expiry || !/^\d{8}$/.test(expiry)) throw new JpkiError('BAD_RESPONSE', 'the face file lacks YYYYMMDD birth and expiry dates');
    return { birth, expiry };
  } catch (err) {
    if (err instanceof TlvError) throw new JpkiError('BAD_RESPONSE', `the face file is not TLV: ${err.message}`);
    throw err;
  }
}

export class JpkiBookingCard implements BookingCard {
  constructor(private readonly client: JpkiClient) {}

  async identify(): Promise<CardIdentityFacts> {
    const id = await this.client.identify();
    const hasSignCertificate = await this.client.hasSignCertificate();
    return { cardId: id.cardId, simulator: id.kind === 'simulator', hasSignCertificate };
  }

  async checkCardFront(front: CardFront): Promise<CardFrontResult> {
    if (!this.client.isProvenSimulator) {
      throw new JpkiError('REAL_CARD_READ_ONLY', 'the card-front check costs a try on a mismatch: only a card identified as a simulator card gets it');
    }
    await this.client.selectAp('visual');
    await this.client.selectEf(VISUAL_EF.PIN_B);
    const r = await this.client.send({ cla: 0, ins: INS.VERIFY, p1: 0, p2: 0x80, data: Buffer.from(matchingNumberB(front), 'ascii') });
    if (r.sw === SW.AUTH_METHOD_BLOCKED || r.sw === SW.REFERENCE_DATA_NOT_USABLE) return { result: 'locked' };
    const tries = triesLeftFromSw(r.sw);
    if (tries !== undefined) return tries === 0 ? { result: 'locked' } : { result: 'mismatch', triesLeft: tries };
    if (r.sw !== SW.OK) throw new JpkiError('UNEXPECTED_SW', 'VERIFY of 照合番号B: unexpected answer', r.sw);
    const face = parseFaceDates(await this.client.readTlvEf(VISUAL_EF.FACE));
    if (face.birth === compact(front.birthDate) && face.expiry === compact(front.cardExpiry)) return { result: 'match' };
    // 照合番号B matched (its counter is full again) but a date differs where it cannot tell.
    await this.client.selectEf(VISUAL_EF.PIN_B);
    const left = triesLeftFromSw((await this.client.send({ cla: 0, ins: INS.VERIFY, p1: 0, p2: 0x80 })).sw);
    return { result: 'mismatch', triesLeft: left ?? 0 };
  }

  triesLeft(kind: ResetKind): Promise<number> {
    return this.client.triesLeft(kind);
  }

  verifyPassword(kind: ResetKind, value: string): Promise<VerifyOutcome> {
    return this.client.verify(kind, value);
  }
}
