/**
 * Ready-made card holders covering the cases of docs/domain-rules.md §3. Dates are relative to the
 * moment a card is created, so a persona never rots: an "adult" card made in any year is valid, a
 * "cert-expired" card's certificates have always just expired.
 *
 * Names and addresses are fictitious (見本区 does not exist); my numbers are random per card with a
 * valid check digit. PIN values are listed in the README; "both-unknown" has random values that only
 * `npm run card -- status <card> --show-pins` reveals (its holder does not know them either).
 */
import type { CertificateStatus, Sex } from './card-state';
import type { PinId } from './pin';

export type PersonaId = 'adult' | 'sign-locked' | 'auth-locked' | 'both-unknown' | 'under15' | 'sign-lapsed' | 'cert-expired' | 'card-expired';

export const PERSONA_IDS: readonly PersonaId[] = ['adult', 'sign-locked', 'auth-locked', 'both-unknown', 'under15', 'sign-lapsed', 'cert-expired', 'card-expired'];

/** A PIN value, or `random` for one nobody is told. */
export type PersonaPin = string | { readonly random: true };

/** Days relative to the creation date (negative = in the past). */
export interface RelativeDate {
  readonly days: number;
}

export interface Persona {
  readonly id: PersonaId;
  readonly titleJa: string;
  readonly titleEn: string;
  /** What the kiosk should make of this card (for trainers; the tests check it). */
  readonly kioskOutcome: string;
  readonly holder: {
    readonly name: string;
    readonly address: string;
    readonly sex: Sex;
    /** YYYY-MM-DD, or an age in years at creation. */
    readonly birth: string | { readonly ageYears: number };
  };
  readonly cardExpiry: RelativeDate;
  /** Both certificates expire together on a real card (5th birthday after issue); so here. */
  readonly certExpiry: RelativeDate;
  readonly pins: {
    readonly auth: PersonaPin;
    /** null: no signature certificate, so no signature password (under 15). */
    readonly sign: PersonaPin | null;
    readonly text: PersonaPin;
    readonly juki: PersonaPin;
  };
  /** Tries left where not full. */
  readonly triesLeft?: Readonly<Partial<Record<PinId, number>>>;
  readonly certificates: { readonly auth: Exclude<CertificateStatus, 'not-issued'>; readonly sign: CertificateStatus };
}

const YEAR = 365;
const ADDRESS = (n: string) => `東京都見本区見本町${n} (架空の住所)`;

export const PERSONAS: Readonly<Record<PersonaId, Persona>> = {
  adult: {
    id: 'adult',
    titleJa: '成人(標準)',
    titleEn: 'Adult, everything valid',
    kioskOutcome: 'both resets possible (with a reservation)',
    holder: { name: '番号 花子', address: ADDRESS('一丁目2番3号'), sex: '2', birth: '1985-06-15' },
    cardExpiry: { days: 7 * YEAR },
    certExpiry: { days: 2 * YEAR },
    pins: { auth: '1234', sign: 'ABC123', text: '1234', juki: '1234' },
    certificates: { auth: 'active', sign: 'active' },
  },
  'sign-locked': {
    id: 'sign-locked',
    titleJa: '署名用パスワードがロック',
    titleEn: 'Signature password locked',
    kioskOutcome: '署名用 reset with the auth PIN',
    holder: { name: '鍵田 一郎', address: ADDRESS('二丁目4番5号'), sex: '1', birth: '1978-11-03' },
    cardExpiry: { days: 6 * YEAR },
    certExpiry: { days: 1 * YEAR },
    pins: { auth: '2580', sign: 'LOCK2580', text: '2580', juki: '2580' },
    triesLeft: { sign: 0 },
    certificates: { auth: 'active', sign: 'active' },
  },
  'auth-locked': {
    id: 'auth-locked',
    titleJa: '利用者証明用暗証番号がロック',
    titleEn: 'Auth PIN locked',
    kioskOutcome: '利用者証明用 reset with the signature password (Seven-Eleven / AEON only)',
    holder: { name: '利用 次郎', address: ADDRESS('三丁目6番7号'), sex: '1', birth: '1990-02-20' },
    cardExpiry: { days: 8 * YEAR },
    certExpiry: { days: 3 * YEAR },
    pins: { auth: '1357', sign: 'AUTH1357', text: '1357', juki: '1357' },
    triesLeft: { auth: 0 },
    certificates: { auth: 'active', sign: 'active' },
  },
  'both-unknown': {
    id: 'both-unknown',
    titleJa: '両方のパスワードが不明',
    titleEn: 'Both JPKI passwords unknown',
    kioskOutcome: 'no kiosk path: municipal counter with the card and a photo ID',
    holder: { name: '忘田 三子', address: ADDRESS('四丁目8番9号'), sex: '2', birth: '1962-09-09' },
    cardExpiry: { days: 5 * YEAR },
    certExpiry: { days: 2 * YEAR },
    pins: { auth: { random: true }, sign: { random: true }, text: { random: true }, juki: { random: true } },
    certificates: { auth: 'active', sign: 'active' },
  },
  under15: {
    id: 'under15',
    titleJa: '15歳未満(署名用電子証明書なし)',
    titleEn: 'Under 15, no signature certificate',
    kioskOutcome: 'no signature certificate to reset; auth reset needs the signature password, so counter',
    holder: { name: '若葉 さくら', address: ADDRESS('五丁目10番11号'), sex: '2', birth: { ageYears: 10 } },
    // Cards of holders under 18 are valid for 5 years, and so are their certificates.
    cardExpiry: { days: 3 * YEAR },
    certExpiry: { days: 3 * YEAR },
    pins: { auth: '0415', sign: null, text: '0415', juki: '0415' },
    certificates: { auth: 'active', sign: 'not-issued' },
  },
  'sign-lapsed': {
    id: 'sign-lapsed',
    titleJa: '転居により署名用電子証明書が失効',
    titleEn: 'Signature certificate lapsed after a move',
    kioskOutcome: '署名用: a reset will not help, re-issue at the counter',
    holder: { name: '転居 健太', address: ADDRESS('六丁目12番13号'), sex: '1', birth: '1988-04-01' },
    cardExpiry: { days: 7 * YEAR },
    certExpiry: { days: 2 * YEAR },
    pins: { auth: '4321', sign: 'MOVED4321', text: '9876', juki: '4321' },
    certificates: { auth: 'active', sign: 'lapsed' },
  },
  'cert-expired': {
    id: 'cert-expired',
    titleJa: '電子証明書の有効期限切れ',
    titleEn: 'Certificates expired, card still valid',
    kioskOutcome: 'expired certificate: re-issue at the counter',
    holder: { name: '期限 正', address: ADDRESS('七丁目14番15号'), sex: '1', birth: '1970-07-07' },
    cardExpiry: { days: 4 * YEAR },
    certExpiry: { days: -30 },
    pins: { auth: '7777', sign: 'EXPIRED7', text: '7777', juki: '7777' },
    certificates: { auth: 'active', sign: 'active' },
  },
  'card-expired': {
    id: 'card-expired',
    titleJa: 'カードの有効期限切れ',
    titleEn: 'Card expired',
    kioskOutcome: 'the card cannot be used: municipal counter',
    holder: { name: '古川 和子', address: ADDRESS('八丁目16番17号'), sex: '2', birth: '1955-12-24' },
    cardExpiry: { days: -45 },
    certExpiry: { days: -45 },
    pins: { auth: '8888', sign: 'OLDCARD8', text: '8888', juki: '8888' },
    certificates: { auth: 'active', sign: 'active' },
  },
};

export function isPersonaId(s: string): s is PersonaId {
  return (PERSONA_IDS as readonly string[]).includes(s);
}

/** Calendar date `days` after `now`, YYYY-MM-DD (UTC; card dates carry no time). */
export function dateAfter(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

export function birthDate(p: Persona, now: Date): string {
  const b = p.holder.birth;
  if (typeof b === 'string') return b;
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() - b.ageYears);
  return d.toISOString().slice(0, 10);
}
