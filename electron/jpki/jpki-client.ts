/**
 * The kiosk-side JPKI client: builds the My Number card's APDUs, sends them over a CardChannel and
 * parses the answers into typed results. Used by the kiosk flow and by the smartphone-app simulator.
 *
 * Real cards are read-only (docs/architecture.md, docs/card.md §10): every command that can change
 * a card — VERIFY with a value (a wrong one costs a try), CHANGE REFERENCE DATA, EXTERNAL
 * AUTHENTICATE, RESET RETRY COUNTER — is refused by this client until `identify()` has proved the
 * card is a simulator card.
 * So is GET RESET RECEIPT, which changes nothing but is the simulator's own command (CLA 80 INS CA),
 * not one to send to a real card.
 */
import { encodeCommand, parseResponse, type CommandApdu, type ResponseApdu } from '../../native/apdu/apdu';
import { SW, triesLeftFromSw } from '../../native/apdu/status';
import { AID, CHALLENGE_LENGTH, CLA, INS, JPKI_EF, JUKI_PIN_EF, RESET_MAC_LENGTH, RESET_PIN_REF, TEXT_EF, TOKEN_MY_NUMBER_CARD } from '../../native/jpki/constants';
import { RECEIPT_LENGTH } from '../../native/jpki/reset-receipt';
import { parseSimulatorInfo, SIMULATOR_AID, SIMULATOR_INFO_EF, type SimulatorInfo } from '../../native/jpki/simulator-marker';
import { PASSWORD_RULES, type PasswordKind, type ResetKind, type VerifyOutcome } from '../domain/passwords';
import type { CardChannel } from './card-channel';
import { parseCertificate, type CertificateInfo } from './certificate-info';
import { JpkiError, swError } from './jpki-error';
import { parseBasicInfo, parseMyNumber, tlvTotalLength, type BasicInfo } from './text-ap-data';

export type CardAp = 'jpki' | 'text' | 'visual' | 'juki' | 'simulator';

const AP_AID: Readonly<Record<CardAp, Buffer>> = {
  jpki: AID.JPKI,
  text: AID.TEXT,
  visual: AID.VISUAL,
  juki: AID.JUKI,
  simulator: SIMULATOR_AID,
};

/** Where each of the four passwords lives. */
const PIN_LOCATION: Readonly<Record<PasswordKind, { ap: CardAp; ef: number }>> = {
  auth: { ap: 'jpki', ef: JPKI_EF.AUTH_PIN },
  sign: { ap: 'jpki', ef: JPKI_EF.SIGN_PIN },
  text: { ap: 'text', ef: TEXT_EF.PIN },
  juki: { ap: 'juki', ef: JUKI_PIN_EF },
};

export type CertificateEf = 'auth' | 'sign' | 'auth-ca' | 'sign-ca';

const CERT_EF: Readonly<Record<CertificateEf, number>> = {
  auth: JPKI_EF.AUTH_CERT,
  sign: JPKI_EF.SIGN_CERT,
  'auth-ca': JPKI_EF.AUTH_CA_CERT,
  'sign-ca': JPKI_EF.SIGN_CA_CERT,
};

export type CardIdentity =
  | {
      readonly kind: 'simulator';
      readonly cardId: string;
      readonly authCertificate: CertificateInfo;
      readonly simulator: SimulatorInfo;
    }
  | { readonly kind: 'real'; readonly cardId: string; readonly authCertificate: CertificateInfo };

/** What is known of one JPKI certificate without its PIN. */
export interface CertificateFacts {
  readonly present: boolean;
  /** Lapsed (失効, e.g. after a move); known for simulator cards, from their info (a real kiosk asks the center). */
  readonly lapsed: boolean;
  /** Expiry; for the signature certificate of a real card unknown without its password. */
  readonly notAfter: Date | undefined;
}

/** What the kiosk reads when a card is placed (docs/kiosk-flow.md §1, screen 6). */
export interface CardProfile {
  readonly identity: CardIdentity;
  /** The card's own expiry (YYYY-MM-DD, valid through that day), from a simulator card's info. */
  readonly cardExpiry: string | undefined;
  readonly certificates: { readonly auth: CertificateFacts; readonly sign: CertificateFacts };
  /** Tries left; `sign` is 0 on a card without a signature password. */
  readonly triesLeft: { readonly auth: number; readonly sign: number };
}

/** How a certificate stands at `now` (the kiosk's simulated clock), in the order the kiosk's guidance needs. */
export function certificateState(facts: CertificateFacts, now: number): 'valid' | 'absent' | 'revoked' | 'expired' {
  if (!facts.present) return 'absent';
  if (facts.lapsed) return 'revoked';
  if (facts.notAfter !== undefined && now > facts.notAfter.getTime()) return 'expired';
  return 'valid';
}

/** Short-Le chunk size: OpenSC and every known client read at most 256 bytes per APDU. */
const CHUNK = 256;
/** myna reads 7 bytes to learn a TLV file's length; enough for every header on the card. */
const TLV_HEADER_READ = 7;

export class JpkiClient {
  private currentAp: CardAp | undefined;
  private simulatorProven = false;

  constructor(private readonly channel: CardChannel) {}

  /** Sends one command; the response with its SW (no SW check). */
  async send(cmd: CommandApdu): Promise<ResponseApdu> {
    let answer: Buffer | ResponseApdu;
    try {
      answer = await this.channel.transmit(encodeCommand(cmd));
    } catch (err) {
      this.currentAp = undefined;
      // The reader's own error (e.g. PcscError CARD_REMOVED) stays available as `cause`.
      throw new JpkiError('TRANSPORT', `the card did not answer: ${err instanceof Error ? err.message : String(err)}`, undefined, { cause: err });
    }
    if (!Buffer.isBuffer(answer)) return answer;
    if (answer.length < 2) throw new JpkiError('BAD_RESPONSE', `a ${answer.length}-byte response has no status word`);
    return parseResponse(answer);
  }

  private async expectOk(step: string, cmd: CommandApdu): Promise<Buffer> {
    const r = await this.send(cmd);
    if (r.sw !== SW.OK) throw swError(step, r.sw);
    return r.data;
  }

  /** Selects an AP (always sends the SELECT: it also logs every PIN out). */
  async selectAp(ap: CardAp): Promise<void> {
    this.currentAp = undefined;
    const r = await this.send({ cla: 0, ins: INS.SELECT, p1: 0x04, p2: 0x0c, data: AP_AID[ap] });
    if (r.sw === SW.FILE_NOT_FOUND) throw new JpkiError(ap === 'jpki' ? 'NOT_JPKI' : 'FILE_NOT_FOUND', `SELECT ${ap} AP: the card has no such application`, r.sw);
    if (r.sw !== SW.OK) throw swError(`SELECT ${ap} AP`, r.sw);
    this.currentAp = ap;
  }

  /** Selects `ap` unless it is already selected (re-selecting would log PINs out). */
  private async useAp(ap: CardAp): Promise<void> {
    if (this.currentAp !== ap) await this.selectAp(ap);
  }

  async selectEf(fid: number): Promise<void> {
    const data = Buffer.from([fid >> 8, fid & 0xff]);
    await this.expectOk(`SELECT EF ${hex4(fid)}`, { cla: 0, ins: INS.SELECT, p1: 0x02, p2: 0x0c, data });
  }

  /** READ BINARY of `length` bytes from `offset` of the current EF, in short-Le chunks. */
  async readBinary(offset: number, length: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let pos = offset;
    const end = offset + length;
    while (pos < end) {
      if (pos > 0x7fff) throw new JpkiError('BAD_RESPONSE', 'EF longer than READ BINARY can address');
      const le = Math.min(CHUNK, end - pos);
      const data = await this.expectOk(`READ BINARY at ${pos}`, { cla: 0, ins: INS.READ_BINARY, p1: pos >> 8, p2: pos & 0xff, le });
      if (data.length === 0) throw new JpkiError('BAD_RESPONSE', `READ BINARY at ${pos}: no data`);
      parts.push(data);
      pos += data.length;
    }
    return Buffer.concat(parts).subarray(0, length);
  }

  /** A whole TLV-structured EF (certificates, text/visual AP files): header first, then the rest. */
  async readTlvEf(fid: number): Promise<Buffer> {
    await this.selectEf(fid);
    const head = await this.readBinary(0, TLV_HEADER_READ);
    const total = tlvTotalLength(head);
    if (total <= head.length) return head.subarray(0, total);
    return Buffer.concat([head, await this.readBinary(head.length, total - head.length)]);
  }

  /** A whole EF of unknown structure: reads until the card returns less than asked. */
  private async readUntilShort(fid: number, max = 16 * 1024): Promise<Buffer> {
    await this.selectEf(fid);
    const parts: Buffer[] = [];
    let pos = 0;
    while (pos < max) {
      const r = await this.send({ cla: 0, ins: INS.READ_BINARY, p1: pos >> 8, p2: pos & 0xff, le: CHUNK });
      if (r.sw === SW.WRONG_P1P2 && pos > 0) break; // offset at the end of the EF
      if (r.sw !== SW.OK) throw swError(`READ BINARY at ${pos}`, r.sw);
      parts.push(r.data);
      pos += r.data.length;
      if (r.data.length < CHUNK) break;
    }
    return Buffer.concat(parts);
  }

  // --- JPKI AP: token and certificates ----------------------------------------------------------

  /** The token EF 0006 (32 bytes, space-padded ASCII), trimmed. */
  async readToken(): Promise<string> {
    await this.useAp('jpki');
    await this.selectEf(JPKI_EF.TOKEN);
    return (await this.readBinary(0, 32)).toString('latin1').replace(/[\s\0]+$/, '');
  }

  async readCertificateDer(which: CertificateEf): Promise<Buffer> {
    await this.useAp('jpki');
    return this.readTlvEf(CERT_EF[which]);
  }

  /** A certificate, parsed. The signature certificate needs the signature password verified first. */
  async readCertificate(which: CertificateEf): Promise<CertificateInfo> {
    return parseCertificate(await this.readCertificateDer(which));
  }

  /** Whether the card holds a signature certificate (SELECT works without the password). */
  async hasSignCertificate(): Promise<boolean> {
    await this.useAp('jpki');
    const r = await this.send({ cla: 0, ins: INS.SELECT, p1: 0x02, p2: 0x0c, data: Buffer.from([0x00, JPKI_EF.SIGN_CERT]) });
    if (r.sw === SW.OK) return true;
    if (r.sw === SW.FILE_NOT_FOUND) return false;
    throw swError('SELECT EF 0001', r.sw);
  }

  // --- identification ---------------------------------------------------------------------------

  /**
   * Tells a simulator card from a real one. Simulator = the simulator-only AP answers with info
   * for this very card *and* the auth certificate is issued by a kiosk-sim TEST CA; anything else
   * is treated as real, and stays read-only. Leaves the JPKI AP selected.
   */
  async identify(): Promise<CardIdentity> {
    this.simulatorProven = false;
    await this.selectAp('jpki');
    const token = await this.readToken();
    if (!token.startsWith(TOKEN_MY_NUMBER_CARD)) {
      throw new JpkiError('NOT_JPKI', `not a My Number card (JPKI token ${JSON.stringify(token)})`);
    }
    const authCertificate = await this.readCertificate('auth');
    const cardId = authCertificate.serialHex;
    const simulator = await this.readSimulatorInfo();
    await this.selectAp('jpki');
    if (simulator !== undefined && simulator.cardId === cardId && authCertificate.issuedByTestCa) {
      this.simulatorProven = true;
      return { kind: 'simulator', cardId, authCertificate, simulator };
    }
    return { kind: 'real', cardId, authCertificate };
  }

  /** The simulator-only AP's info, or undefined on a card without it (every real card). */
  async readSimulatorInfo(): Promise<SimulatorInfo | undefined> {
    try {
      await this.selectAp('simulator');
      return parseSimulatorInfo(await this.readUntilShort(SIMULATOR_INFO_EF));
    } catch (err) {
      // Whatever a card answers here (6A82 from a real card, or anything odd), it is no simulator
      // card; only a dead channel is an error.
      if (err instanceof JpkiError && err.code !== 'TRANSPORT') return undefined;
      throw err;
    }
  }

  /** Whether `identify()` proved this is a simulator card (and so may be changed). */
  get isProvenSimulator(): boolean {
    return this.simulatorProven;
  }

  private assertMayChange(what: string): void {
    if (!this.simulatorProven) {
      throw new JpkiError('REAL_CARD_READ_ONLY', `${what} refused: only a card identified as a kiosk-sim simulator card may be changed`);
    }
  }

  private assertSimulatorCommand(what: string): void {
    if (!this.simulatorProven) {
      throw new JpkiError('REAL_CARD_READ_ONLY', `${what} refused: a simulator-only command goes only to a card identified as a kiosk-sim simulator card`);
    }
  }

  /** Everything the kiosk reads on placement: identity, signature certificate presence, tries left. */
  async readCardProfile(): Promise<CardProfile> {
    const identity = await this.identify();
    const signPresent = await this.hasSignCertificate();
    const auth = await this.triesLeft('auth');
    const sign = await this.triesLeft('sign');
    const sim = identity.kind === 'simulator' ? identity.simulator : undefined;
    return {
      identity,
      cardExpiry: sim?.cardExpiry,
      certificates: {
        auth: { present: true, lapsed: sim?.certificates.auth === 'lapsed', notAfter: identity.authCertificate.notAfter },
        sign: {
          present: signPresent,
          lapsed: sim?.certificates.sign === 'lapsed',
          notAfter: sim?.signNotAfter === undefined ? undefined : new Date(sim.signNotAfter),
        },
      },
      triesLeft: { auth, sign },
    };
  }

  // --- PINs -----------------------------------------------------------------------------------

  private async selectPin(pin: PasswordKind): Promise<void> {
    const loc = PIN_LOCATION[pin];
    await this.useAp(loc.ap);
    await this.selectEf(loc.ef);
  }

  /** Tries left (0 = locked), by the empty VERIFY; reading it costs nothing. */
  async triesLeft(pin: PasswordKind): Promise<number> {
    await this.selectPin(pin);
    const r = await this.send({ cla: 0, ins: INS.VERIFY, p1: 0, p2: 0x80 });
    const tries = triesLeftFromSw(r.sw);
    if (tries !== undefined) return tries;
    if (r.sw === SW.AUTH_METHOD_BLOCKED || r.sw === SW.REFERENCE_DATA_NOT_USABLE) return 0;
    throw swError(`tries left of the ${pin} PIN`, r.sw);
  }

  /** VERIFY. A wrong value costs a try on the card; the result says how many are left. */
  async verify(pin: PasswordKind, value: string): Promise<VerifyOutcome> {
    this.assertMayChange(`VERIFY of the ${pin} PIN`);
    const data = pinBytes(pin, value);
    await this.selectPin(pin);
    const r = await this.send({ cla: 0, ins: INS.VERIFY, p1: 0, p2: 0x80, data });
    if (r.sw === SW.OK) return { result: 'verified' };
    const tries = triesLeftFromSw(r.sw);
    if (tries !== undefined) return tries === 0 ? { result: 'locked' } : { result: 'wrong', triesLeft: tries };
    if (r.sw === SW.AUTH_METHOD_BLOCKED || r.sw === SW.REFERENCE_DATA_NOT_USABLE) return { result: 'locked' };
    throw swError(`VERIFY of the ${pin} PIN`, r.sw);
  }

  /** CHANGE REFERENCE DATA with the new value only; the PIN must have been verified in this AP session. */
  async changePin(pin: PasswordKind, newValue: string): Promise<void> {
    this.assertMayChange(`change of the ${pin} PIN`);
    const data = pinBytes(pin, newValue);
    await this.selectPin(pin);
    await this.expectOk(`CHANGE REFERENCE DATA of the ${pin} PIN`, { cla: 0, ins: INS.CHANGE_REFERENCE_DATA, p1: 0x01, p2: 0x80, data });
  }

  // --- the simulator's center-authorized reset (docs/card.md §10) -----------------------------

  async getChallenge(): Promise<Buffer> {
    await this.useAp('jpki');
    const data = await this.expectOk('GET CHALLENGE', { cla: 0, ins: INS.GET_CHALLENGE, p1: 0, p2: 0, le: CHALLENGE_LENGTH });
    if (data.length !== CHALLENGE_LENGTH) throw new JpkiError('BAD_RESPONSE', `GET CHALLENGE returned ${data.length} bytes`);
    return data;
  }

  /** Presents the center's MAC; throws AUTH_FAILED when the card refuses it. */
  async externalAuthenticate(kind: ResetKind, mac: Uint8Array): Promise<void> {
    this.assertMayChange('EXTERNAL AUTHENTICATE');
    if (mac.length !== RESET_MAC_LENGTH) throw new JpkiError('INVALID_INPUT', `the MAC must be ${RESET_MAC_LENGTH} bytes`);
    await this.useAp('jpki');
    await this.expectOk('EXTERNAL AUTHENTICATE', { cla: 0, ins: INS.EXTERNAL_AUTHENTICATE, p1: 0, p2: RESET_PIN_REF[kind], data: mac });
  }

  /** Sets the new value with a full counter; needs a successful EXTERNAL AUTHENTICATE for `kind`. */
  async resetRetryCounter(kind: ResetKind, newValue: string): Promise<void> {
    this.assertMayChange('RESET RETRY COUNTER');
    const data = pinBytes(kind, newValue);
    await this.useAp('jpki');
    await this.expectOk('RESET RETRY COUNTER', { cla: 0, ins: INS.RESET_RETRY_COUNTER, p1: 0x02, p2: RESET_PIN_REF[kind], data });
  }

  /**
   * GET RESET RECEIPT: the 38 raw bytes of `kind`'s reset receipt (reset-receipt.ts), for the
   * center to verify under the card's key. Read right after getChallenge(), it shows that challenge
   * as current and its number as the challenge number. Changes nothing on the card: the challenge
   * stays good for externalAuthenticate() (the JPKI AP is not reselected if already current).
   */
  async readResetReceipt(kind: ResetKind): Promise<Buffer> {
    this.assertSimulatorCommand('GET RESET RECEIPT');
    await this.useAp('jpki');
    const step = `GET RESET RECEIPT of the ${kind} PIN`;
    const data = await this.expectOk(step, { cla: CLA.PROPRIETARY, ins: INS.GET_RESET_RECEIPT, p1: 0, p2: RESET_PIN_REF[kind], le: RECEIPT_LENGTH });
    if (data.length !== RECEIPT_LENGTH) throw new JpkiError('BAD_RESPONSE', `${step} returned ${data.length} bytes, not ${RECEIPT_LENGTH}`);
    return data;
  }

  // --- signature ------------------------------------------------------------------------------

  /** COMPUTE DIGITAL SIGNATURE over a DER DigestInfo with the auth or sign key (its PIN verified first). */
  async sign(key: ResetKind, digestInfo: Uint8Array): Promise<Buffer> {
    if (digestInfo.length === 0 || digestInfo.length > 245) throw new JpkiError('INVALID_INPUT', 'a DigestInfo is 1–245 bytes');
    await this.useAp('jpki');
    await this.selectEf(key === 'auth' ? JPKI_EF.AUTH_KEY : JPKI_EF.SIGN_KEY);
    return this.expectOk(`signature with the ${key} key`, { cla: 0x80, ins: INS.COMPUTE_SIGNATURE, p1: 0, p2: 0x80, data: digestInfo, le: 256 });
  }

  // --- text AP --------------------------------------------------------------------------------

  /** Verifies the 入力補助 PIN (costs a try when wrong) and reads the basic 4 info. */
  async readBasicInfo(textPin: string): Promise<BasicInfo> {
    await this.selectAp('text');
    await this.requireVerified('text', textPin);
    return parseBasicInfo(await this.readTlvEf(TEXT_EF.BASIC_INFO));
  }

  /** Verifies the 入力補助 PIN (costs a try when wrong) and reads the my number. */
  async readMyNumber(textPin: string): Promise<string> {
    await this.selectAp('text');
    await this.requireVerified('text', textPin);
    return parseMyNumber(await this.readTlvEf(TEXT_EF.MY_NUMBER));
  }

  private async requireVerified(pin: PasswordKind, value: string): Promise<void> {
    const r = await this.verify(pin, value);
    if (r.result === 'verified') return;
    if (r.result === 'locked') throw new JpkiError('PIN_LOCKED', `the ${pin} PIN is locked`);
    throw new JpkiError('SECURITY_STATUS', `wrong ${pin} PIN, ${r.triesLeft} tries left`);
  }
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * The bytes sent for a PIN: plain ASCII (docs/card.md §4). Values of impossible length or with
 * characters no keypad offers are refused before anything reaches the card.
 */
function pinBytes(pin: PasswordKind, value: string): Buffer {
  const rule = PASSWORD_RULES[pin];
  // Upper case only: the card compares bytes, so a lower-case letter would just cost a try.
  // Callers normalize typed input first (normalizeSignPassword).
  const charset = pin === 'sign' ? /^[A-Z0-9]*$/ : /^[0-9]*$/;
  if (value.length < rule.minLength || value.length > rule.maxLength || !charset.test(value)) {
    throw new JpkiError('INVALID_INPUT', `a ${pin} PIN is ${rule.minLength}–${rule.maxLength} ${pin === 'sign' ? 'upper-case letters and digits' : 'digits'}`);
  }
  return Buffer.from(value, 'ascii');
}
