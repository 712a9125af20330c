/**
 * Every ready persona, read the way the kiosk reads a placed card: the facts its guidance depends on
 * (docs/domain-rules.md §3) come out of the card as the persona table promises.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { certificateState, directChannel, JpkiClient } from '../../electron/jpki';
import { readCardFile } from '../../native/card/card-file';
import { createCard } from '../../native/card/issue';
import { isValidMyNumber } from '../../native/card/my-number';
import { PERSONA_IDS, PERSONAS, type PersonaId } from '../../native/card/personas';
import { revealPin } from '../../native/card/pin';
import { loadSimulatorKey } from '../../native/card/simulator-key';
import { CardFactory } from './card-fixtures';

const cards = new CardFactory();
afterAll(() => cards.cleanup());

type CertState = ReturnType<typeof certificateState>;
interface Expected {
  readonly triesLeft: { auth: number; sign: number };
  readonly certificates: { auth: CertState; sign: CertState };
  readonly cardExpired: boolean;
}

const table: ReadonlyArray<[PersonaId, Expected]> = [
  ['adult', { triesLeft: { auth: 3, sign: 5 }, certificates: { auth: 'valid', sign: 'valid' }, cardExpired: false }],
  ['sign-locked', { triesLeft: { auth: 3, sign: 0 }, certificates: { auth: 'valid', sign: 'valid' }, cardExpired: false }],
  ['auth-locked', { triesLeft: { auth: 0, sign: 5 }, certificates: { auth: 'valid', sign: 'valid' }, cardExpired: false }],
  ['both-unknown', { triesLeft: { auth: 3, sign: 5 }, certificates: { auth: 'valid', sign: 'valid' }, cardExpired: false }],
  ['under15', { triesLeft: { auth: 3, sign: 0 }, certificates: { auth: 'valid', sign: 'absent' }, cardExpired: false }],
  ['sign-lapsed', { triesLeft: { auth: 3, sign: 5 }, certificates: { auth: 'valid', sign: 'revoked' }, cardExpired: false }],
  ['cert-expired', { triesLeft: { auth: 3, sign: 5 }, certificates: { auth: 'expired', sign: 'expired' }, cardExpired: false }],
  ['card-expired', { triesLeft: { auth: 3, sign: 5 }, certificates: { auth: 'expired', sign: 'expired' }, cardExpired: true }],
];

describe('persona table', () => {
  it('covers every persona id', () => {
    expect(table.map(([id]) => id).sort()).toEqual([...PERSONA_IDS].sort());
  });

  it.each(table)('%s: the kiosk reads the promised tries, certificates and card expiry', async (id, exp) => {
    const { card } = await cards.fresh(id);
    const c = new JpkiClient(directChannel(card));
    const profile = await c.readCardProfile();
    const now = Date.now();
    expect(profile.identity.kind).toBe('simulator');
    expect(profile.triesLeft).toEqual(exp.triesLeft);
    expect(certificateState(profile.certificates.auth, now)).toBe(exp.certificates.auth);
    expect(certificateState(profile.certificates.sign, now)).toBe(exp.certificates.sign);
    const cardExpiry = profile.cardExpiry;
    expect(cardExpiry).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Date(cardExpiry + 'T23:59:59Z').getTime() < now).toBe(exp.cardExpired);
    // A certificate never outlives its card.
    expect(profile.certificates.auth.notAfter!.getTime()).toBeLessThanOrEqual(new Date(cardExpiry + 'T23:59:59Z').getTime());
  });

  it.each(PERSONA_IDS.map((id) => [id]))('%s: holder data is well-formed and the known PINs open the card', async (id) => {
    const { card } = await cards.fresh(id);
    const h = card.state.holder;
    expect(isValidMyNumber(h.myNumber)).toBe(true);
    expect(h.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(h.securityCode).toMatch(/^\d{4}$/);
    const c = new JpkiClient(directChannel(card));
    await c.identify();
    const pins = PERSONAS[id].pins;
    if (typeof pins.text === 'string') expect((await c.readBasicInfo(pins.text)).name).toBe(PERSONAS[id].holder.name);
    if (typeof pins.juki === 'string') expect(await c.verify('juki', pins.juki)).toEqual({ result: 'verified' });
    const exp = table.find(([p]) => p === id)![1];
    if (typeof pins.auth === 'string' && exp.triesLeft.auth > 0) expect(await c.verify('auth', pins.auth)).toEqual({ result: 'verified' });
    if (typeof pins.sign === 'string' && exp.triesLeft.sign > 0) expect(await c.verify('sign', pins.sign)).toEqual({ result: 'verified' });
  });

  it('the under-15 persona really is under 15 on the day its card is made', async () => {
    const { card } = await cards.fresh('under15');
    const born = new Date(card.state.holder.birthDate + 'T00:00:00Z');
    const fifteenth = new Date(born);
    fifteenth.setUTCFullYear(born.getUTCFullYear() + 15);
    expect(fifteenth.getTime()).toBeGreaterThan(Date.now());
  });
});

describe('card creation', () => {
  it('gives every card its own keys, card id and my number, and names copies adult, adult-2, …', async () => {
    const dir = cards.dir;
    const a = readCardFile(await cards.file('adult'));
    const b = await createCard('adult', { dir });
    expect(b.state.name).toMatch(/^adult-\d+$/);
    expect(b.state.cardId).not.toBe(a.cardId);
    expect(b.state.holder.myNumber).not.toBe(a.holder.myNumber);
    const pub = (s: typeof a) => new crypto.X509Certificate(Buffer.from(s.certificates.auth.cert!, 'base64')).publicKey.export({ format: 'der', type: 'spki' });
    expect(pub(b.state).equals(pub(a))).toBe(false);
    await expect(createCard('adult', { dir, name: b.state.name })).rejects.toMatchObject({ code: 'CARD_FILE_EXISTS' });
  });

  it('both-unknown gets random PINs that nobody was told, different per card', async () => {
    const key = loadSimulatorKey(cards.dir);
    const one = readCardFile(await cards.file('both-unknown'));
    const two = (await createCard('both-unknown', { dir: cards.dir })).state;
    const reveal = (s: typeof one, pin: 'auth' | 'sign') => revealPin(key, s.cardId, pin, s.pins[pin]!);
    expect(reveal(one, 'auth')).toMatch(/^\d{4}$/);
    expect(reveal(one, 'sign')).toMatch(/^[A-Z0-9]{8}$/);
    expect([reveal(one, 'auth'), reveal(one, 'sign')]).not.toEqual([reveal(two, 'auth'), reveal(two, 'sign')]);
  });

  it('keeps no PIN and no private key in plain text in the card file', async () => {
    const file = await cards.file('adult');
    const text = fs.readFileSync(file, 'utf8');
    const p = PERSONAS.adult.pins;
    for (const v of [p.auth, p.sign] as string[]) {
      expect(text).not.toContain(`"${v}"`);
      expect(text).not.toContain(Buffer.from(v).toString('base64'));
    }
    expect(text).not.toMatch(/PRIVATE KEY/);
    // PKCS#8 DER of an RSA key starts 30 82 xx xx 02 01 00 30 0d 06 09 2a 86 48 86 f7 0d 01 01 01.
    const pkcs8Marker = Buffer.from('020100300d06092a864886f70d010101', 'hex').toString('base64').slice(0, 16);
    expect(text).not.toContain(pkcs8Marker);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
  });
});
