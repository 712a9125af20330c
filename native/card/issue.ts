/**
 * Issuing a card from a persona: holder data, RSA-2048 keys and certificates under the test CAs,
 * PINs with their counters, the per-card reset key, and the first write of the card file.
 *
 * The reset key is personalised here from the center's master key (masterKeyFromEnv) and the card
 * id, as card issuers diversify keys; the card then needs no master key, and the center needs no
 * key table (docs/reset-protocol.md, "Keys").
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { diversifyResetKey, masterKeyFromEnv } from '../jpki/reset-mac';
import { CARD_FILE_FORMAT, CardFileError, keyAad, resetKeyAad, SIMULATOR_NOTICE, type CardFile, type CertificateSet, type Holder } from './card-state';
import { cardFilePath, listCardNames, serializeCardFile, writeFileAtomic } from './card-file';
import { caPublicKeySpki, caSign, issueCertificate, loadOrCreateTestCas } from './certificates';
import { randomDigits, randomMyNumber } from './my-number';
import { birthDate, dateAfter, PERSONAS, type Persona, type PersonaId, type PersonaPin } from './personas';
import { makePinRecord, PIN_POLICIES, type PinId, type PinRecord } from './pin';
import { loadOrCreateSimulatorKey, type SimulatorKey } from './simulator-key';
import { matchingNumberB } from './text-ap';
import { faceSignedContent, myNumberSignedContent, rsaPublicNumbers } from './visual-ap';
import { isValidPassword } from '../jpki/passwords';

export interface CreateCardOptions {
  /** Card directory; default cardDir(). */
  readonly dir: string;
  /** File name; default the persona id, then `<persona>-2`, `-3`… */
  readonly name?: string;
  /** Creation instant (persona dates are relative to it). */
  readonly now?: Date;
  /** Center master key for the reset key; default masterKeyFromEnv(). */
  readonly masterKey?: Uint8Array;
}

export interface CreatedCard {
  readonly file: string;
  readonly state: CardFile;
}

function freeName(dir: string, base: string): string {
  const taken = new Set(listCardNames(dir));
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

function pinValue(p: PersonaPin, pin: PinId): string {
  if (typeof p === 'string') return p;
  // Random values for a holder who does not know them, in the domain format.
  if (pin !== 'sign') return randomDigits(4);
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // 32 symbols: uniform from a byte
  for (;;) {
    const v = [...crypto.randomBytes(8)].map((b) => alphabet[b % 32]).join('');
    if (isValidPassword('sign', v)) return v;
  }
}

/** Subtracts whole years, keeping month and day (the certificate of a 5-year cycle). */
function yearsBefore(isoDate: string, years: number): Date {
  const d = new Date(isoDate + 'T00:00:00Z');
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d;
}

export async function createCard(personaId: PersonaId, opts: CreateCardOptions): Promise<CreatedCard> {
  return createCardFrom(PERSONAS[personaId], opts);
}

/**
 * Issues a card from a persona given whole: a ready-made one, or a variant of one (an exercise
 * scenario's tries, certificate statuses and dates). The card file records `persona.id`.
 */
export async function createCardFrom(persona: Persona, opts: CreateCardOptions): Promise<CreatedCard> {
  const personaId = persona.id;
  const now = opts.now ?? new Date();
  const dir = path.resolve(opts.dir);
  const simKey = loadOrCreateSimulatorKey(dir);
  const cas = await loadOrCreateTestCas(dir, simKey);

  const cardExpiry = dateAfter(now, persona.cardExpiry.days);
  const certExpiry = dateAfter(now, persona.certExpiry.days);
  const holder: Holder = {
    name: persona.holder.name,
    address: persona.holder.address,
    birthDate: birthDate(persona, now),
    sex: persona.holder.sex,
    myNumber: randomMyNumber(),
    cardExpiry,
    securityCode: randomDigits(4),
    manufactureNo: 'KSIM' + randomDigits(9),
  };

  // A certificate is valid for 5 years up to its expiry; it ends at the end of that day.
  const notBefore = yearsBefore(certExpiry, 5);
  const notAfter = new Date(certExpiry + 'T23:59:59Z');
  const signIssued = persona.certificates.sign !== 'not-issued';
  const [auth, sign] = await Promise.all([
    issueCertificate({ kind: 'auth', ca: cas.auth, notBefore, notAfter, label: 'kiosk-sim test card (user authentication)' }),
    signIssued
      ? issueCertificate({ kind: 'sign', ca: cas.sign, notBefore, notAfter, label: 'kiosk-sim test card (digital signature)' })
      : Promise.resolve(undefined),
  ]);
  const cardId = auth.serialHex;

  const facePublicKey = caPublicKeySpki(cas.auth);
  const faceNumbers = rsaPublicNumbers(facePublicKey.toString('base64'));
  const [faceSignature, myNumberSignature] = await Promise.all([
    caSign(cas.auth, faceSignedContent(holder, faceNumbers)),
    caSign(cas.auth, myNumberSignedContent(holder, faceNumbers)),
  ]);

  const pins = issuePins(simKey, cardId, persona, holder);
  const masterKey = opts.masterKey ?? masterKeyFromEnv();
  const certSet = (status: CertificateSet['status'], cert: Buffer | undefined, ca: Buffer): CertificateSet =>
    cert === undefined ? { status, ca: ca.toString('base64') } : { status, cert: cert.toString('base64'), ca: ca.toString('base64') };

  const name = opts.name ?? freeName(dir, personaId);
  const state: CardFile = {
    format: CARD_FILE_FORMAT,
    notice: SIMULATOR_NOTICE,
    cardId,
    name,
    persona: personaId,
    createdAt: now.toISOString(),
    holder,
    certificates: {
      auth: certSet(persona.certificates.auth, auth.certDer, cas.auth.certDer),
      sign: certSet(persona.certificates.sign, sign?.certDer, cas.sign.certDer),
    },
    visual: {
      facePublicKey: facePublicKey.toString('base64'),
      faceSignature: faceSignature.toString('base64'),
      myNumberSignature: myNumberSignature.toString('base64'),
    },
    pins,
    keys: sign === undefined ? { auth: simKey.seal(auth.pkcs8, keyAad(cardId, 'auth')) } : { auth: simKey.seal(auth.pkcs8, keyAad(cardId, 'auth')), sign: simKey.seal(sign.pkcs8, keyAad(cardId, 'sign')) },
    resetKey: simKey.seal(diversifyResetKey(masterKey, cardId), resetKeyAad(cardId)),
  };
  const file = cardFilePath(dir, name);
  try {
    writeFileAtomic(file, serializeCardFile(state), undefined, { exclusive: true });
  } catch (err) {
    if (err instanceof CardFileError && err.code === 'CARD_FILE_EXISTS') {
      throw new CardFileError('CARD_FILE_EXISTS', `a card named ${name} already exists; choose another --name`);
    }
    throw err;
  }
  return { file, state };
}

function issuePins(simKey: SimulatorKey, cardId: string, persona: Persona, holder: Holder): Partial<Record<PinId, PinRecord>> {
  const tries = (pin: PinId) => persona.triesLeft?.[pin] ?? PIN_POLICIES[pin].maxTries;
  const rec = (pin: PinId, value: string) => makePinRecord(simKey, cardId, pin, value, tries(pin));
  const b = matchingNumberB(holder);
  const pins: Partial<Record<PinId, PinRecord>> = {
    auth: rec('auth', pinValue(persona.pins.auth, 'auth')),
    text: rec('text', pinValue(persona.pins.text, 'text')),
    juki: rec('juki', pinValue(persona.pins.juki, 'juki')),
    textA: rec('textA', holder.myNumber),
    textB: rec('textB', b),
    visualA: rec('visualA', holder.myNumber),
    visualB: rec('visualB', b),
  };
  if (persona.pins.sign !== null) pins.sign = rec('sign', pinValue(persona.pins.sign, 'sign'));
  return pins;
}
