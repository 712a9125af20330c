/**
 * The virtual My Number card: a VirtualCard answering the public JPKI command set (docs/card.md)
 * and the simulator's center-authorized reset (docs/reset-protocol.md), over the applications
 * built from a card file.
 *
 * State lives in two places, as on a chip:
 * - persistent (the card file: PIN counters and values, the reset records, the count of challenges
 *   given out). Every change is committed to the store *before* the status word is returned; if
 *   the commit fails the card answers 65 81 and keeps the old state, so what the host was told is
 *   always what is on disk;
 * - volatile (this session: the selected AP and EF, verified PINs, the last challenge, a reset
 *   authorization). Cleared by power-off, reset, and by selecting an AP, the current one included
 *   (the public sources disagree on whether a real card does; docs/card.md §4).
 *
 * A successful RESET RETRY COUNTER writes the new PIN and its reset record (count, authorizing
 * challenge) in one commit, so the reset receipt (GET RESET RECEIPT, reset-receipt.ts) says a
 * reset happened exactly when the card took the new value; GET CHALLENGE commits the count of
 * challenges given out before it answers, so the receipt's challenge number never goes back.
 */
import crypto from 'node:crypto';
import { ApduFormatError, encodeResponse, parseCommand, type ParsedCommand } from '../apdu/apdu';
import { SW, triesLeftSw } from '../apdu/status';
import { ATR, CHALLENGE_COUNT_MAX, CHALLENGE_LENGTH, CLA, INS, RESET_COUNT_MAX, RESET_MAC_LENGTH, RESET_PIN_REF } from '../jpki/constants';
import { verifyResetMac } from '../jpki/reset-mac';
import { encodeResetReceipt, RECEIPT_LENGTH } from '../jpki/reset-receipt';
import type { VirtualCard } from '../vpcd/virtual-card';
import type { ResetKind } from '../jpki/passwords';
import { challengesIssuedOf, resetReceiptOf, resetRecordOf, withChallengeIssued, withPin, withReset, type CardFile } from './card-state';
import type { CardStore } from './card-file';
import { fileBySfi, mayRead, type Application, type ElementaryFile, type KeyId } from './file-system';
import { buildJpkiAp } from './jpki-ap';
import { buildJukiAp } from './juki-ap';
import { makePinRecord, newValueProblem, PIN_POLICIES, presentPin, type PinId } from './pin';
import type { SimulatorKey } from './simulator-key';
import { buildSimulatorAp } from './simulator-ap';
import { buildTextAp } from './text-ap';
import { buildVisualAp, rsaPublicNumbers } from './visual-ap';

/** Secrets unsealed from the card file when the card is loaded. */
export interface CardSecrets {
  readonly keys: { readonly auth: crypto.KeyObject; readonly sign?: crypto.KeyObject };
  readonly resetKey: Buffer;
}

export interface MyNumberCardOptions {
  readonly state: CardFile;
  readonly secrets: CardSecrets;
  readonly simulatorKey: SimulatorKey;
  readonly store: CardStore;
  /** Source of challenges; tests may pin it. */
  readonly random?: (n: number) => Buffer;
}

interface Session {
  readonly app: Application | undefined;
  readonly ef: ElementaryFile | undefined;
  readonly verified: ReadonlySet<PinId>;
  /** From GET CHALLENGE; good for one EXTERNAL AUTHENTICATE. */
  readonly challenge: Buffer | undefined;
  /**
   * Set by a valid EXTERNAL AUTHENTICATE; good for one RESET RETRY COUNTER of that PIN, which
   * records `challenge` (the one the MAC was over) as its authorization.
   */
  readonly resetAuthorized: { readonly kind: ResetKind; readonly challenge: Buffer } | undefined;
}

const FRESH: Session = { app: undefined, ef: undefined, verified: new Set(), challenge: undefined, resetAuthorized: undefined };

/** A reply: data and status word. */
interface Reply {
  readonly sw: number;
  readonly data?: Uint8Array;
}

const sw = (code: number, data?: Uint8Array): Reply => (data === undefined ? { sw: code } : { sw: code, data });

/** The PIN each reset ref (P2 of EXTERNAL AUTHENTICATE / RESET RETRY COUNTER) names. */
const RESET_KIND_BY_REF = new Map<number, ResetKind>([
  [RESET_PIN_REF.sign, 'sign'],
  [RESET_PIN_REF.auth, 'auth'],
]);

/** Largest DigestInfo an RSA-2048 PKCS#1 v1.5 signature can carry (256 − 11). */
const MAX_SIGN_INPUT = 245;

/** ISO instructions this card knows under CLA 00 (used to tell 6E00 from 6D00). */
const ISO_INS: ReadonlySet<number> = new Set([
  INS.SELECT,
  INS.READ_BINARY,
  INS.READ_RECORD,
  INS.VERIFY,
  INS.CHANGE_REFERENCE_DATA,
  INS.RESET_RETRY_COUNTER,
  INS.GET_CHALLENGE,
  INS.EXTERNAL_AUTHENTICATE,
]);

export class MyNumberCard implements VirtualCard {
  /** The ATR OpenSC's jpki driver lists; the card also answers the AID probe other tools use. */
  readonly atr = ATR.OPENSC_JPKI;
  private stateValue: CardFile;
  private session: Session = FRESH;
  private readonly apps: readonly Application[];
  private readonly random: (n: number) => Buffer;

  constructor(private readonly opts: MyNumberCardOptions) {
    this.stateValue = opts.state;
    this.random = opts.random ?? crypto.randomBytes;
    const s = opts.state;
    const faceKey = rsaPublicNumbers(s.visual.facePublicKey);
    this.apps = [
      buildJpkiAp(s),
      buildTextAp(s.holder, s.cardId),
      buildVisualAp(s.holder, faceKey, {
        face: Buffer.from(s.visual.faceSignature, 'base64'),
        myNumber: Buffer.from(s.visual.myNumberSignature, 'base64'),
      }),
      buildJukiAp(s.holder),
      buildSimulatorAp(s),
    ];
  }

  /** The persistent state, as last committed. */
  get state(): CardFile {
    return this.stateValue;
  }

  powerOn(): void {
    this.session = FRESH;
  }

  powerOff(): void {
    this.session = FRESH;
  }

  reset(): void {
    this.session = FRESH;
  }

  transmit(apdu: Buffer): Buffer {
    let reply: Reply;
    try {
      reply = this.handle(parseCommand(apdu));
    } catch (err) {
      // A malformed length is the host's mistake; anything else is ours, and must not take the
      // card (or pcscd waiting on it) down. The fuzz test asserts 6F00 never happens.
      reply = sw(err instanceof ApduFormatError ? SW.WRONG_LENGTH : SW.NO_PRECISE_DIAGNOSIS);
    }
    return encodeResponse(reply.data, reply.sw);
  }

  /** Persists `next`, then makes it current. Throws nothing: a failed write is a 65 81 reply. */
  private commit(next: CardFile): boolean {
    try {
      this.opts.store.commit(next);
    } catch {
      return false;
    }
    this.stateValue = next;
    return true;
  }

  private handle(cmd: ParsedCommand): Reply {
    const cla = cmd.cla;
    if (cla !== 0x00 && cla !== 0x80) return claProblem(cla);
    if (cla === CLA.PROPRIETARY) {
      if (cmd.ins === INS.COMPUTE_SIGNATURE) return this.computeSignature(cmd);
      if (cmd.ins === INS.GET_RESET_RECEIPT) return this.getResetReceipt(cmd);
      return sw(ISO_INS.has(cmd.ins) ? SW.CLA_NOT_SUPPORTED : SW.INS_NOT_SUPPORTED);
    }
    switch (cmd.ins) {
      case INS.SELECT:
        return this.select(cmd);
      case INS.READ_BINARY:
        return this.readBinary(cmd);
      case INS.READ_RECORD:
        return this.readRecord(cmd);
      case INS.VERIFY:
        return this.verify(cmd);
      case INS.CHANGE_REFERENCE_DATA:
        return this.changeReferenceData(cmd);
      case INS.GET_CHALLENGE:
        return this.getChallenge(cmd);
      case INS.EXTERNAL_AUTHENTICATE:
        return this.externalAuthenticate(cmd);
      case INS.RESET_RETRY_COUNTER:
        return this.resetRetryCounter(cmd);
      case INS.COMPUTE_SIGNATURE:
        return sw(SW.CLA_NOT_SUPPORTED); // proprietary: CLA 80 only
      default:
        return sw(SW.INS_NOT_SUPPORTED);
    }
  }

  // --- SELECT ---------------------------------------------------------------------------------

  private select(cmd: ParsedCommand): Reply {
    const data = Buffer.from(cmd.data);
    switch (cmd.p1) {
      case 0x04: {
        if (data.length === 0 || data.length > 16 || cmd.case === 2) return sw(SW.WRONG_LENGTH);
        const app = this.apps.find((a) => a.aid.equals(data));
        // Unknown AIDs answer 6A82 whatever P2 says: OpenSC's other drivers probe with P2=00 and
        // must see "not here" (docs/card.md §1).
        if (app === undefined) return sw(SW.FILE_NOT_FOUND);
        if (cmd.p2 !== 0x0c) return sw(SW.INCORRECT_P1P2);
        this.session = { ...FRESH, app };
        return sw(SW.OK);
      }
      case 0x00:
        if (data.length === 0 || (data.length === 2 && data.readUInt16BE(0) === 0x3f00)) {
          if (cmd.p2 !== 0x0c && cmd.p2 !== 0x00) return sw(SW.INCORRECT_P1P2);
          this.session = FRESH; // the MF: no AP, nothing verified
          return sw(SW.OK);
        }
        return this.selectEf(cmd, data);
      case 0x02:
        return this.selectEf(cmd, data);
      default:
        return sw(SW.INCORRECT_P1P2);
    }
  }

  private selectEf(cmd: ParsedCommand, data: Buffer): Reply {
    if (data.length !== 2 || cmd.case === 2) return sw(SW.WRONG_LENGTH);
    if (cmd.p2 !== 0x0c) return sw(SW.INCORRECT_P1P2);
    const app = this.session.app;
    const ef = app?.files.get(data.readUInt16BE(0));
    if (ef === undefined) return sw(SW.FILE_NOT_FOUND);
    this.session = { ...this.session, ef };
    return sw(SW.OK);
  }

  // --- READ BINARY / READ RECORD --------------------------------------------------------------

  private readBinary(cmd: ParsedCommand): Reply {
    if (cmd.case !== 2 || cmd.le === undefined) return sw(SW.WRONG_LENGTH);
    let ef: ElementaryFile | undefined;
    let offset: number;
    if (cmd.p1 & 0x80) {
      // P1 = 100x xxxx: short EF id in the low bits, offset in P2; the EF becomes current.
      if (cmd.p1 & 0x60) return sw(SW.INCORRECT_P1P2);
      const app = this.session.app;
      ef = app === undefined ? undefined : fileBySfi(app, cmd.p1 & 0x1f);
      if (ef === undefined) return sw(SW.FILE_NOT_FOUND);
      this.session = { ...this.session, ef };
      offset = cmd.p2;
    } else {
      ef = this.session.ef;
      if (ef === undefined) return sw(SW.COMMAND_NOT_ALLOWED_NO_EF);
      offset = (cmd.p1 << 8) | cmd.p2;
    }
    if (ef.kind !== 'binary') return sw(SW.COMMAND_INCOMPATIBLE);
    if (!mayRead(ef.read, this.session.verified)) return sw(SW.SECURITY_STATUS_NOT_SATISFIED);
    if (offset >= ef.data.length) return sw(SW.WRONG_P1P2);
    // Short or extended Le; a read past the end returns what there is, with 9000 (docs/card.md §3).
    return sw(SW.OK, ef.data.subarray(offset, Math.min(ef.data.length, offset + cmd.le)));
  }

  private readRecord(cmd: ParsedCommand): Reply {
    if (cmd.case !== 2 || cmd.le === undefined) return sw(SW.WRONG_LENGTH);
    // P2 = SFI (5 bits) ‖ 100: record number in P1. Other record-addressing modes are not offered.
    if ((cmd.p2 & 0x07) !== 0x04 || cmd.p1 === 0) return sw(SW.INCORRECT_P1P2);
    const sfi = cmd.p2 >> 3;
    const app = this.session.app;
    const ef = sfi === 0 ? this.session.ef : app === undefined ? undefined : fileBySfi(app, sfi);
    if (ef === undefined) return sw(sfi === 0 ? SW.COMMAND_NOT_ALLOWED_NO_EF : SW.FILE_NOT_FOUND);
    if (ef.kind !== 'records') return sw(SW.COMMAND_INCOMPATIBLE);
    if (!mayRead(ef.read, this.session.verified)) return sw(SW.SECURITY_STATUS_NOT_SATISFIED);
    this.session = { ...this.session, ef };
    const record = ef.records[cmd.p1 - 1];
    if (record === undefined) return sw(SW.RECORD_NOT_FOUND);
    return sw(SW.OK, record.subarray(0, cmd.le));
  }

  // --- PINs -----------------------------------------------------------------------------------

  /** The PIN EF that P2 names: 80 = the current EF, 80|SFI = by short EF id (docs/card.md §4). */
  private pinEf(p2: number): { pin: PinId } | Reply {
    if ((p2 & 0xe0) !== 0x80) return sw(SW.INCORRECT_P1P2);
    const app = this.session.app;
    const ef = p2 === 0x80 ? this.session.ef : app === undefined ? undefined : fileBySfi(app, p2 & 0x1f);
    if (ef === undefined || ef.kind !== 'pin') return sw(SW.REFERENCE_DATA_NOT_FOUND);
    return { pin: ef.pin };
  }

  private verify(cmd: ParsedCommand): Reply {
    if (cmd.p1 !== 0x00) return sw(SW.INCORRECT_P1P2);
    const target = this.pinEf(cmd.p2);
    if (!('pin' in target)) return target;
    if (cmd.le !== undefined) return sw(SW.WRONG_LENGTH);
    const pin = target.pin;
    const record = this.state.pins[pin];
    if (cmd.data.length === 0) {
      // Tries left. A real card answers 63 Cx here even right after a correct VERIFY, never 9000,
      // and OpenSC's pkcs15 binding depends on it; a locked or absent PIN reads as 63 C0.
      return sw(triesLeftSw(record?.triesLeft ?? 0));
    }
    if (record === undefined) return sw(SW.REFERENCE_DATA_NOT_USABLE);
    const outcome = presentPin(this.opts.simulatorKey, PIN_POLICIES[pin], record, cmd.data);
    switch (outcome.kind) {
      case 'locked':
        return sw(SW.REFERENCE_DATA_NOT_USABLE);
      case 'wrong-length':
        return sw(SW.WRONG_LENGTH);
      case 'verified': {
        if (outcome.record !== record && !this.commit(withPin(this.state, pin, outcome.record))) return sw(SW.MEMORY_FAILURE);
        this.session = { ...this.session, verified: new Set([...this.session.verified, pin]) };
        return sw(SW.OK);
      }
      case 'wrong': {
        // The try is spent on disk before the host learns the PIN was wrong: pulling the card
        // between the two must not give a free guess.
        const verified = new Set(this.session.verified);
        verified.delete(pin);
        this.session = { ...this.session, verified };
        if (!this.commit(withPin(this.state, pin, outcome.record))) return sw(SW.MEMORY_FAILURE);
        return sw(triesLeftSw(outcome.triesLeft));
      }
    }
  }

  private changeReferenceData(cmd: ParsedCommand): Reply {
    // P1 = 01: the new value only, after a VERIFY of the old one (myna `pin change`). P1 = 00
    // (old ‖ new) cannot be split for a variable-length password, so it is not offered.
    if (cmd.p1 !== 0x01) return sw(SW.INCORRECT_P1P2);
    const target = this.pinEf(cmd.p2);
    if (!('pin' in target)) return target;
    if (cmd.case !== 3) return sw(SW.WRONG_LENGTH);
    const pin = target.pin;
    const record = this.state.pins[pin];
    if (record === undefined || record.triesLeft <= 0) return sw(SW.REFERENCE_DATA_NOT_USABLE);
    if (!this.session.verified.has(pin)) return sw(SW.SECURITY_STATUS_NOT_SATISFIED);
    return this.setPin(pin, cmd.data, (next) => next, () => undefined);
  }

  /**
   * Sets a new PIN value with a full counter, in one committed write, together with whatever
   * `also` adds to the new state (a reset's record).
   */
  private setPin(pin: PinId, data: Uint8Array, also: (next: CardFile) => CardFile, onSuccess: () => void): Reply {
    const policy = PIN_POLICIES[pin];
    const value = Buffer.from(data).toString('latin1');
    const problem = newValueProblem(policy, value);
    if (problem === 'not-changeable') return sw(SW.CONDITIONS_NOT_SATISFIED);
    if (problem !== null) return sw(SW.WRONG_DATA);
    const record = makePinRecord(this.opts.simulatorKey, this.state.cardId, pin, value, policy.maxTries);
    if (!this.commit(also(withPin(this.state, pin, record)))) return sw(SW.MEMORY_FAILURE);
    onSuccess();
    return sw(SW.OK);
  }

  // --- the simulator's center-authorized reset (docs/card.md §10) -----------------------------

  private getChallenge(cmd: ParsedCommand): Reply {
    if (cmd.p1 !== 0 || cmd.p2 !== 0) return sw(SW.INCORRECT_P1P2);
    if (cmd.case !== 2 || cmd.le !== CHALLENGE_LENGTH) return sw(SW.WRONG_LENGTH);
    // Asking for a new challenge withdraws the one held and any authorization obtained with it,
    // whether or not a new one is given.
    this.session = { ...this.session, challenge: undefined, resetAuthorized: undefined };
    // The count of challenges is the reset receipt's challenge number, which must never go back.
    if (challengesIssuedOf(this.state) >= CHALLENGE_COUNT_MAX) return sw(SW.CONDITIONS_NOT_SATISFIED);
    const challenge = this.newChallenge();
    // The count is on disk before the host sees the challenge: a receipt made after it shows its
    // number or a higher one, whatever happens to the card in between.
    if (!this.commit(withChallengeIssued(this.state))) return sw(SW.MEMORY_FAILURE);
    this.session = { ...this.session, challenge };
    return sw(SW.OK, challenge);
  }

  /** Random bytes, never all zero: eight zeros mean "no challenge" in the reset receipt. */
  private newChallenge(): Buffer {
    for (;;) {
      const challenge = Buffer.from(this.random(CHALLENGE_LENGTH));
      if (challenge.length !== CHALLENGE_LENGTH) throw new Error(`the random source gave ${challenge.length} bytes, not ${CHALLENGE_LENGTH}`);
      if (challenge.some((b) => b !== 0)) return challenge;
    }
  }

  private resetTarget(cmd: ParsedCommand): ResetKind | Reply {
    if (this.session.app?.id !== 'jpki') return sw(SW.CONDITIONS_NOT_SATISFIED);
    const kind = RESET_KIND_BY_REF.get(cmd.p2);
    if (kind === undefined || this.state.pins[kind] === undefined) return sw(SW.REFERENCE_DATA_NOT_FOUND);
    return kind;
  }

  private externalAuthenticate(cmd: ParsedCommand): Reply {
    if (cmd.p1 !== 0x00) return sw(SW.INCORRECT_P1P2);
    const kind = this.resetTarget(cmd);
    if (typeof kind !== 'string') return kind;
    if (cmd.case !== 3 || cmd.data.length !== RESET_MAC_LENGTH) return sw(SW.WRONG_LENGTH);
    const challenge = this.session.challenge;
    if (challenge === undefined) return sw(SW.CONDITIONS_NOT_SATISFIED);
    // A challenge is good for one try, right or wrong: no guessing MACs against one challenge.
    const ok = verifyResetMac(this.opts.secrets.resetKey, kind, challenge, cmd.data);
    this.session = { ...this.session, challenge: undefined, resetAuthorized: ok ? { kind, challenge } : undefined };
    return sw(ok ? SW.OK : SW.AUTHENTICATION_FAILED);
  }

  private resetRetryCounter(cmd: ParsedCommand): Reply {
    // P1 = 02: new reference data, no resetting code (the authorization came from the MAC).
    if (cmd.p1 !== 0x02) return sw(SW.INCORRECT_P1P2);
    const kind = this.resetTarget(cmd);
    if (typeof kind !== 'string') return kind;
    if (cmd.case !== 3) return sw(SW.WRONG_LENGTH);
    const authorized = this.session.resetAuthorized;
    if (authorized?.kind !== kind) return sw(SW.SECURITY_STATUS_NOT_SATISFIED);
    // A reset the receipt could not count is not done (unreachable in practice: 65 535 resets).
    if ((resetRecordOf(this.state, kind)?.count ?? 0) >= RESET_COUNT_MAX) return sw(SW.CONDITIONS_NOT_SATISFIED);
    // A value of the wrong format keeps the authorization, so the kiosk can correct it without
    // spending the holder's single-use reservation; success consumes it. The new value and the
    // reset record go to the card file in one commit: a card pulled mid-write has both or neither.
    return this.setPin(
      kind,
      cmd.data,
      (next) => withReset(next, kind, authorized.challenge),
      () => {
        const verified = new Set(this.session.verified);
        verified.delete(kind);
        this.session = { ...this.session, verified, resetAuthorized: undefined };
      },
    );
  }

  /**
   * GET RESET RECEIPT (80 CA 00 <PIN ref> Le 26, or Le 00): the reset record of that PIN, the
   * challenge now held and the count of challenges given out, under a MAC with the card's reset
   * key (reset-receipt.ts). Reading it changes nothing.
   */
  private getResetReceipt(cmd: ParsedCommand): Reply {
    if (cmd.p1 !== 0x00) return sw(SW.INCORRECT_P1P2);
    const kind = this.resetTarget(cmd);
    if (typeof kind !== 'string') return kind;
    if (cmd.case !== 2 || (cmd.le !== RECEIPT_LENGTH && !(cmd.le === 256 && !cmd.extended))) return sw(SW.WRONG_LENGTH);
    const current = this.session.challenge === undefined ? null : this.session.challenge.toString('hex').toUpperCase();
    return sw(SW.OK, encodeResetReceipt(this.opts.secrets.resetKey, kind, resetReceiptOf(this.state, kind, current)));
  }

  // --- COMPUTE DIGITAL SIGNATURE (docs/card.md §5) --------------------------------------------

  private computeSignature(cmd: ParsedCommand): Reply {
    if (this.session.app?.id !== 'jpki') return sw(SW.CONDITIONS_NOT_SATISFIED);
    // P1 = 00: the data is a DigestInfo to pad and sign, which is what every known client sends.
    if (cmd.p1 !== 0x00) return sw(SW.INCORRECT_P1P2);
    if ((cmd.p2 & 0xe0) !== 0x80) return sw(SW.INCORRECT_P1P2);
    const ef = cmd.p2 === 0x80 ? this.session.ef : fileBySfi(this.session.app, cmd.p2 & 0x1f);
    if (ef === undefined || ef.kind !== 'key') return sw(SW.REFERENCE_DATA_NOT_FOUND);
    if (cmd.data.length === 0 || cmd.data.length > MAX_SIGN_INPUT) return sw(SW.WRONG_LENGTH);
    if (cmd.le !== undefined && cmd.le < 256) return sw(SW.WRONG_LENGTH);
    if (!this.session.verified.has(ef.pin)) return sw(SW.SECURITY_STATUS_NOT_SATISFIED);
    const key = this.privateKey(ef.key);
    if (key === undefined) return sw(SW.REFERENCE_DATA_NOT_FOUND);
    // privateEncrypt with PKCS#1 padding is exactly "EMSA-PKCS1-v1_5 type 01 + RSA private op".
    return sw(SW.OK, crypto.privateEncrypt({ key, padding: crypto.constants.RSA_PKCS1_PADDING }, cmd.data));
  }

  private privateKey(id: KeyId): crypto.KeyObject | undefined {
    return this.opts.secrets.keys[id];
  }
}

function claProblem(cla: number): Reply {
  if (cla >= 0x80) return sw(SW.CLA_NOT_SUPPORTED);
  if (cla & 0x10) return sw(SW.CHAINING_NOT_SUPPORTED);
  if (cla & 0x0c) return sw(SW.SECURE_MESSAGING_NOT_SUPPORTED);
  if (cla & 0x03) return sw(SW.LOGICAL_CHANNEL_NOT_SUPPORTED);
  return sw(SW.CLA_NOT_SUPPORTED);
}
