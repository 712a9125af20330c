/**
 * What a card file holds: the card's whole persistent state. Plain JSON, so a trainer can look at
 * a card (holder data, certificates, counters) while PINs and keys stay sealed (simulator-key.ts).
 * The state is immutable: the card builds a new value for every change and persists it before it
 * answers, so an in-memory state is always one that is on disk.
 */
import { CHALLENGE_COUNT_MAX, CHALLENGE_LENGTH, RESET_COUNT_MAX } from '../jpki/constants';
import type { ResetReceipt } from '../jpki/reset-receipt';
import type { ResetKind } from '../jpki/passwords';
import { PIN_IDS, PIN_POLICIES, type PinId, type PinRecord } from './pin';
import { CARD_PRESENTATIONS, type CardPresentation } from './presentation';

export const CARD_FILE_FORMAT = 'kiosk-sim/card@1';

/** Written into every card file, so nobody mistakes it for a real card's data. */
export const SIMULATOR_NOTICE = 'kiosk-sim simulator card: TEST data and TEST CA, not a real My Number card';

/** ISO 5218, as the text AP stores it. */
export type Sex = '1' | '2' | '9';

export interface Holder {
  /** 氏名, UTF-8. */
  readonly name: string;
  /** 住所, UTF-8. */
  readonly address: string;
  /** YYYY-MM-DD */
  readonly birthDate: string;
  readonly sex: Sex;
  /** 12 digits with a valid check digit (fictitious). */
  readonly myNumber: string;
  /** The card's expiry printed on its face, YYYY-MM-DD. */
  readonly cardExpiry: string;
  /** 4-digit セキュリティコード printed on the face. */
  readonly securityCode: string;
  /** 製造番号 the 住基AP reports (simulator format). */
  readonly manufactureNo: string;
}

/**
 * Whether a certificate is on the card and usable as far as its issuer is concerned. Expiry is not
 * a status: it follows from the certificate's notAfter and the (simulated) clock.
 */
export type CertificateStatus = 'active' | 'lapsed' | 'not-issued';

export interface CertificateSet {
  readonly status: CertificateStatus;
  /** base64 DER; absent when not issued. */
  readonly cert?: string;
  /** base64 DER of the issuing test CA. */
  readonly ca: string;
}

/**
 * The card's record of center-authorized resets of one PIN (the reset receipt, reset-receipt.ts).
 * Absent = no reset yet: count 0, no challenge.
 */
export interface ResetRecord {
  /** Successful RESET RETRY COUNTERs, ever: 1–65535. */
  readonly count: number;
  /** The challenge that authorized the latest, upper-case hex (16 digits). */
  readonly lastChallenge: string;
}

export interface CardFile {
  readonly format: typeof CARD_FILE_FORMAT;
  readonly notice: string;
  /** Auth certificate serial number, hex: the id the center knows the card by. */
  readonly cardId: string;
  readonly name: string;
  readonly persona: string;
  readonly createdAt: string;
  readonly holder: Holder;
  readonly certificates: { readonly auth: CertificateSet; readonly sign: CertificateSet };
  /** Visual AP signatures made by the test CA at issue (base64). */
  readonly visual: { readonly facePublicKey: string; readonly faceSignature: string; readonly myNumberSignature: string };
  /** PINs present on this card (an under-15 card has no signature password). */
  readonly pins: Readonly<Partial<Record<PinId, PinRecord>>>;
  /** Sealed PKCS#8 DER of the two JPKI private keys; `sign` absent when not issued. */
  readonly keys: { readonly auth: string; readonly sign?: string };
  /** Sealed per-card reset key (docs/reset-protocol.md). */
  readonly resetKey: string;
  /**
   * Resets done, per resettable PIN; written in the same commit as the PIN they set. Optional so
   * card files made before it load unchanged; a kind is absent until its first reset.
   */
  readonly resets?: { readonly sign?: ResetRecord; readonly auth?: ResetRecord };
  /**
   * Challenges GET CHALLENGE has given out, ever (0–0xFFFFFFFF): the reset receipt's challenge
   * number. Committed before each challenge is answered, so it never goes back. Optional so card
   * files made before it load unchanged: absent = 0.
   */
  readonly challengesIssued?: number;
  /**
   * How the card presents itself on the reader, for exercises (presentation.ts); absent = an
   * ordinary simulator card.
   */
  readonly presentAs?: CardPresentation;
}

export class CardFileError extends Error {
  constructor(
    readonly code: 'CARD_FILE_MISSING' | 'CARD_FILE_INVALID' | 'CARD_FILE_EXISTS' | 'CARD_FILE_WRITE_FAILED' | 'CARD_FILE_LOCKED',
    message: string,
  ) {
    super(message);
    this.name = 'CardFileError';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Record<string, unknown>, k: string, where: string): string {
  const v = o[k];
  if (typeof v !== 'string') throw new CardFileError('CARD_FILE_INVALID', `${where}.${k} must be a string`);
  return v;
}

/**
 * Checks that parsed JSON is a card file this version understands. Structural only: sealed values
 * are checked when unsealed.
 */
export function validateCardFile(v: unknown, where = 'card file'): CardFile {
  if (!isObject(v)) throw new CardFileError('CARD_FILE_INVALID', `${where} is not a JSON object`);
  if (v.format !== CARD_FILE_FORMAT) {
    throw new CardFileError('CARD_FILE_INVALID', `${where} has format ${JSON.stringify(v.format)}, expected ${CARD_FILE_FORMAT}`);
  }
  for (const k of ['cardId', 'name', 'persona', 'createdAt', 'resetKey', 'notice']) str(v, k, where);
  if (!/^[0-9A-F]{2,64}$/.test(v.cardId as string)) throw new CardFileError('CARD_FILE_INVALID', `${where}.cardId is not upper-case hex`);
  const h = v.holder;
  if (!isObject(h)) throw new CardFileError('CARD_FILE_INVALID', `${where}.holder missing`);
  for (const k of ['name', 'address', 'birthDate', 'sex', 'myNumber', 'cardExpiry', 'securityCode', 'manufactureNo']) str(h, k, `${where}.holder`);
  const c = v.certificates;
  if (!isObject(c) || !isObject(c.auth) || !isObject(c.sign)) throw new CardFileError('CARD_FILE_INVALID', `${where}.certificates missing`);
  for (const [k, set] of [['auth', c.auth], ['sign', c.sign]] as const) {
    if (!['active', 'lapsed', 'not-issued'].includes(set.status as string)) {
      throw new CardFileError('CARD_FILE_INVALID', `${where}.certificates.${k}.status is invalid`);
    }
    str(set, 'ca', `${where}.certificates.${k}`);
    if (set.status !== 'not-issued') str(set, 'cert', `${where}.certificates.${k}`);
  }
  if (c.auth.status === 'not-issued') throw new CardFileError('CARD_FILE_INVALID', `${where}: every card has an auth certificate`);
  const vis = v.visual;
  if (!isObject(vis)) throw new CardFileError('CARD_FILE_INVALID', `${where}.visual missing`);
  for (const k of ['facePublicKey', 'faceSignature', 'myNumberSignature']) str(vis, k, `${where}.visual`);
  const pins = v.pins;
  if (!isObject(pins)) throw new CardFileError('CARD_FILE_INVALID', `${where}.pins missing`);
  for (const [id, rec] of Object.entries(pins)) {
    if (!(PIN_IDS as readonly string[]).includes(id)) throw new CardFileError('CARD_FILE_INVALID', `${where}.pins.${id} is not a PIN this card knows`);
    if (!isObject(rec)) throw new CardFileError('CARD_FILE_INVALID', `${where}.pins.${id} is not an object`);
    for (const k of ['salt', 'verifier', 'sealed']) str(rec, k, `${where}.pins.${id}`);
    const t = rec.triesLeft;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t > PIN_POLICIES[id as PinId].maxTries) {
      throw new CardFileError('CARD_FILE_INVALID', `${where}.pins.${id}.triesLeft is out of range`);
    }
  }
  for (const id of ['auth', 'text', 'textA', 'textB', 'visualA', 'visualB', 'juki'] as const) {
    if (pins[id] === undefined) throw new CardFileError('CARD_FILE_INVALID', `${where}.pins.${id} missing`);
  }
  const keys = v.keys;
  if (!isObject(keys)) throw new CardFileError('CARD_FILE_INVALID', `${where}.keys missing`);
  str(keys, 'auth', `${where}.keys`);
  const signIssued = c.sign.status !== 'not-issued';
  if (signIssued !== (typeof keys.sign === 'string') || signIssued !== (pins.sign !== undefined)) {
    throw new CardFileError('CARD_FILE_INVALID', `${where}: sign certificate, key and password must be all present or all absent`);
  }
  if (v.resets !== undefined) validateResets(v.resets, pins, `${where}.resets`);
  const issued = v.challengesIssued;
  if (issued !== undefined && (typeof issued !== 'number' || !Number.isInteger(issued) || issued < 0 || issued > CHALLENGE_COUNT_MAX)) {
    throw new CardFileError('CARD_FILE_INVALID', `${where}.challengesIssued must be an integer 0–${CHALLENGE_COUNT_MAX}`);
  }
  if (v.presentAs !== undefined && !(CARD_PRESENTATIONS as readonly unknown[]).includes(v.presentAs)) {
    throw new CardFileError('CARD_FILE_INVALID', `${where}.presentAs must be one of ${CARD_PRESENTATIONS.join(', ')}`);
  }
  return v as unknown as CardFile;
}

const CHALLENGE_HEX = new RegExp(`^[0-9A-F]{${2 * CHALLENGE_LENGTH}}$`);

function validateResets(resets: unknown, pins: Record<string, unknown>, where: string): void {
  if (!isObject(resets)) throw new CardFileError('CARD_FILE_INVALID', `${where} is not an object`);
  for (const [kind, rec] of Object.entries(resets)) {
    if (kind !== 'sign' && kind !== 'auth') throw new CardFileError('CARD_FILE_INVALID', `${where}.${kind} is not a resettable PIN`);
    if (pins[kind] === undefined) throw new CardFileError('CARD_FILE_INVALID', `${where}.${kind}: the card has no ${kind} PIN`);
    if (!isObject(rec)) throw new CardFileError('CARD_FILE_INVALID', `${where}.${kind} is not an object`);
    const extra = Object.keys(rec).filter((k) => k !== 'count' && k !== 'lastChallenge');
    if (extra.length > 0) throw new CardFileError('CARD_FILE_INVALID', `${where}.${kind} has unknown fields ${extra.join(', ')}`);
    const n = rec.count;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > RESET_COUNT_MAX) {
      throw new CardFileError('CARD_FILE_INVALID', `${where}.${kind}.count must be an integer 1–${RESET_COUNT_MAX}`);
    }
    if (typeof rec.lastChallenge !== 'string' || !CHALLENGE_HEX.test(rec.lastChallenge)) {
      throw new CardFileError('CARD_FILE_INVALID', `${where}.${kind}.lastChallenge must be ${2 * CHALLENGE_LENGTH} upper-case hex digits`);
    }
  }
}

/** AADs that bind each sealed secret to its card and slot (see simulator-key.ts). */
export const keyAad = (cardId: string, key: 'auth' | 'sign') => `kiosk-sim card ${cardId} key ${key}`;
export const resetKeyAad = (cardId: string) => `kiosk-sim card ${cardId} reset key`;

/** A copy of `state` with one PIN record replaced. */
export function withPin(state: CardFile, pin: PinId, record: PinRecord): CardFile {
  return { ...state, pins: { ...state.pins, [pin]: record } };
}

/** The reset record of `kind`, undefined before its first reset. */
export function resetRecordOf(state: CardFile, kind: ResetKind): ResetRecord | undefined {
  return state.resets?.[kind];
}

/**
 * What the card's reset receipt for `kind` states: its reset record, the challenge it holds now
 * (upper-case hex, null for none) and its count of challenges given out.
 */
export function resetReceiptOf(state: CardFile, kind: ResetKind, currentChallenge: string | null): ResetReceipt {
  const record = resetRecordOf(state, kind);
  return {
    resetCount: record?.count ?? 0,
    lastChallenge: record?.lastChallenge ?? null,
    currentChallenge,
    challengeSeq: challengesIssuedOf(state),
  };
}

/** A copy of `state` with one more reset of `kind`, authorized by `challenge`. */
export function withReset(state: CardFile, kind: ResetKind, challenge: Uint8Array): CardFile {
  const count = (resetRecordOf(state, kind)?.count ?? 0) + 1;
  if (count > RESET_COUNT_MAX) throw new RangeError(`the ${kind} reset count is at its limit`);
  const record: ResetRecord = { count, lastChallenge: Buffer.from(challenge).toString('hex').toUpperCase() };
  return { ...state, resets: { ...state.resets, [kind]: record } };
}

/** How many challenges the card has given out (0 for a card file made before the count existed). */
export function challengesIssuedOf(state: CardFile): number {
  return state.challengesIssued ?? 0;
}

/** A copy of `state` that has given out one more challenge. */
export function withChallengeIssued(state: CardFile): CardFile {
  const n = challengesIssuedOf(state) + 1;
  if (n > CHALLENGE_COUNT_MAX) throw new RangeError('the challenge count is at its limit');
  return { ...state, challengesIssued: n };
}
