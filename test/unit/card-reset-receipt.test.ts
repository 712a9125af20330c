/**
 * The card's reset record and GET RESET RECEIPT (80 CA 00 <PIN ref> 26): the card's evidence that a
 * center-authorized reset took the new password, written in the same commit as the password, and
 * readable (under a MAC the center can check) the next time the card is placed; with the card's
 * count of challenges given out, so a receipt tells whether it was made after a given challenge.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryCardStore, readCardFile, serializeCardFile, type CardStore } from '../../native/card/card-file';
import { loadCard } from '../../native/card/card-module';
import { validateCardFile, type CardFile } from '../../native/card/card-state';
import { createCard } from '../../native/card/issue';
import type { PersonaId } from '../../native/card/personas';
import { DEV_MASTER_KEY, diversifyResetKey, resetMac } from '../../native/jpki/reset-mac';
import { judgeAuthorization, RECEIPT_LENGTH, verifyResetReceipt, type AuthorizedChallenge, type ResetReceipt } from '../../native/jpki/reset-receipt';
import { ascii, SELECT, tempCardDir, tx, verifyHex } from './card-fixtures';

const dir = tempCardDir('kiosk-sim-receipt-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Card files issued under the development master key, whatever the environment says. */
const files = new Map<PersonaId, Promise<string>>();
function fileOf(persona: PersonaId): Promise<string> {
  let f = files.get(persona);
  if (f === undefined) {
    f = createCard(persona, { dir, masterKey: DEV_MASTER_KEY }).then((c) => c.file);
    files.set(persona, f);
  }
  return f;
}

type Card = ReturnType<typeof loadCard>;

async function fresh(persona: PersonaId, store: CardStore = new MemoryCardStore()): Promise<Card> {
  const card = loadCard(await fileOf(persona), { store, lock: false });
  card.powerOn();
  return card;
}

const REF = { sign: '9B', auth: '98' } as const;
type Kind = keyof typeof REF;

function keyOf(card: Card): Buffer {
  return diversifyResetKey(DEV_MASTER_KEY, card.state.cardId);
}

/** GET RESET RECEIPT; the 38 bytes (the SW must be 9000). */
function rawReceipt(card: Card, kind: Kind, le = '26'): Buffer {
  const r = card.transmit(Buffer.from(`80CA00${REF[kind]}${le}`, 'hex'));
  expect(r.subarray(-2).toString('hex')).toBe('9000');
  return r.subarray(0, -2);
}

function receipt(card: Card, kind: Kind): ResetReceipt {
  const r = verifyResetReceipt(keyOf(card), kind, rawReceipt(card, kind));
  expect(r, `${kind} receipt MAC`).not.toBeNull();
  return r!;
}

function challenge(card: Card): Buffer {
  const r = card.transmit(Buffer.from('0084000008', 'hex'));
  expect(r.subarray(-2).toString('hex')).toBe('9000');
  return r.subarray(0, 8);
}

function externalAuthenticate(card: Card, kind: Kind, ch: Buffer): string {
  return tx(card, `008200${REF[kind]}10${resetMac(keyOf(card), kind, ch).toString('hex')}`);
}

function resetRetryCounter(card: Card, kind: Kind, value: string): string {
  return tx(card, `002C02${REF[kind]}${value.length.toString(16).padStart(2, '0')}${ascii(value)}`);
}

/** The whole center-authorized reset; the challenge it used. */
function reset(card: Card, kind: Kind, value: string): Buffer {
  const ch = challenge(card);
  expect(externalAuthenticate(card, kind, ch)).toBe('9000');
  expect(resetRetryCounter(card, kind, value)).toBe('9000');
  return ch;
}

const upper = (b: Buffer) => b.toString('hex').toUpperCase();
/** A receipt's statement, for short. */
const says = (resetCount: number, lastChallenge: string | null, currentChallenge: string | null, challengeSeq: number): ResetReceipt => ({
  resetCount,
  lastChallenge,
  currentChallenge,
  challengeSeq,
});
const NONE = says(0, null, null, 0);

describe('GET RESET RECEIPT', () => {
  it('before any reset or challenge: all zero, for both PINs; Le 00 answers the same', async () => {
    const store = new MemoryCardStore();
    const card = await fresh('adult', store);
    tx(card, SELECT.jpki);
    expect(receipt(card, 'sign')).toEqual(NONE);
    expect(receipt(card, 'auth')).toEqual(NONE);
    expect(rawReceipt(card, 'sign', '00')).toEqual(rawReceipt(card, 'sign'));
    expect(rawReceipt(card, 'sign')).toHaveLength(RECEIPT_LENGTH);
    expect(rawReceipt(card, 'sign').subarray(0, 22)).toEqual(Buffer.alloc(22));
    expect(store.commits).toHaveLength(0); // reading writes nothing
  });

  it('after GET CHALLENGE shows that challenge as current and its number, and reading it leaves the challenge good', async () => {
    const card = await fresh('sign-locked');
    tx(card, SELECT.jpki);
    const ch = challenge(card);
    expect(receipt(card, 'sign')).toEqual(says(0, null, upper(ch), 1));
    expect(receipt(card, 'auth')).toEqual(says(0, null, upper(ch), 1));
    expect(externalAuthenticate(card, 'sign', ch)).toBe('9000');
    // EXTERNAL AUTHENTICATE used the challenge up; its number stays.
    expect(receipt(card, 'sign')).toEqual(says(0, null, null, 1));
    expect(resetRetryCounter(card, 'sign', 'FRESH2024')).toBe('9000');
  });

  it('the challenge number goes up by one per GET CHALLENGE, and is the number of the challenge shown', async () => {
    const card = await fresh('adult');
    tx(card, SELECT.jpki);
    for (let n = 1; n <= 4; n++) {
      const ch = challenge(card);
      expect(receipt(card, 'auth')).toEqual(says(0, null, upper(ch), n));
      expect(card.state.challengesIssued).toBe(n);
    }
    // A refused GET CHALLENGE (wrong Le) gives no challenge and counts none.
    expect(tx(card, '0084000010')).toBe('6700');
    expect(receipt(card, 'auth').challengeSeq).toBe(4);
  });

  it('after a reset: count 1, the challenge that authorized it, no current one; the other PIN untouched', async () => {
    const store = new MemoryCardStore();
    const card = await fresh('sign-locked', store);
    tx(card, SELECT.jpki);
    const ch = reset(card, 'sign', 'FRESH2024');
    expect(receipt(card, 'sign')).toEqual(says(1, upper(ch), null, 1));
    expect(receipt(card, 'auth')).toEqual(says(0, null, null, 1));
    // One commit carries both the new value and the record (the one before it is the challenge's count).
    expect(store.commits).toHaveLength(2);
    expect(store.commits[0]!.resets).toBeUndefined();
    expect(store.commits[1]!.resets).toEqual({ sign: { count: 1, lastChallenge: upper(ch) } });
    expect(store.commits[1]!.pins.sign?.triesLeft).toBe(5);
    tx(card, SELECT.ef('001B'));
    expect(tx(card, verifyHex('FRESH2024'))).toBe('9000');

    tx(card, SELECT.jpki);
    const next = challenge(card);
    expect(receipt(card, 'sign')).toEqual(says(1, upper(ch), upper(next), 2));
    expect(externalAuthenticate(card, 'sign', next)).toBe('9000');
    expect(resetRetryCounter(card, 'sign', 'AGAIN2024')).toBe('9000');
    expect(receipt(card, 'sign')).toEqual(says(2, upper(next), null, 2));
    const ch3 = reset(card, 'auth', '1357');
    expect(receipt(card, 'auth')).toEqual(says(1, upper(ch3), null, 3));
    expect(receipt(card, 'sign')).toEqual(says(2, upper(next), null, 3));
  });

  it('a refused reset leaves the record alone: wrong MAC, no authorization, wrong format', async () => {
    const store = new MemoryCardStore();
    const card = await fresh('sign-locked', store);
    tx(card, SELECT.jpki);
    challenge(card);
    expect(tx(card, '0082009B1000112233445566778899AABBCCDDEEFF')).toBe('6300');
    expect(resetRetryCounter(card, 'sign', 'FRESH2024')).toBe('6982');
    const ch = challenge(card);
    expect(externalAuthenticate(card, 'sign', ch)).toBe('9000');
    expect(resetRetryCounter(card, 'sign', 'ABCDEFGH')).toBe('6A80');
    expect(receipt(card, 'sign')).toEqual(says(0, null, null, 2));
    expect(store.commits.map((s) => s.resets)).toEqual([undefined, undefined]); // the two challenges' counts only
    // The authorization survived the refused format, and the record names its challenge.
    expect(resetRetryCounter(card, 'sign', 'GOOD2024')).toBe('9000');
    expect(receipt(card, 'sign')).toEqual(says(1, upper(ch), null, 2));
  });

  it('a holder changing their own password (CHANGE REFERENCE DATA) is no reset', async () => {
    const store = new MemoryCardStore();
    const card = await fresh('adult', store);
    tx(card, SELECT.jpki);
    const ch = reset(card, 'auth', '1357');
    tx(card, SELECT.jpki);
    tx(card, SELECT.ef('0018'));
    expect(tx(card, verifyHex('1357'))).toBe('9000');
    expect(tx(card, '0024018004' + ascii('2468'))).toBe('9000');
    expect(store.commits.at(-1)!.resets).toEqual({ auth: { count: 1, lastChallenge: upper(ch) } });
    tx(card, SELECT.jpki);
    expect(receipt(card, 'auth')).toEqual(says(1, upper(ch), null, 1));
  });

  it('is MACed under this card\'s reset key and PIN: any changed byte, the other PIN or another card\'s key fails', async () => {
    const card = await fresh('sign-locked');
    const other = await fresh('adult');
    tx(card, SELECT.jpki);
    reset(card, 'sign', 'FRESH2024');
    const ch = challenge(card);
    const bytes = rawReceipt(card, 'sign');
    expect(bytes).toHaveLength(38);
    expect(bytes.readUInt16BE(0)).toBe(1);
    expect(bytes.subarray(10, 18)).toEqual(ch);
    expect(bytes.readUInt32BE(18)).toBe(2);
    expect(verifyResetReceipt(keyOf(card), 'sign', bytes)).not.toBeNull();
    for (let i = 0; i < bytes.length; i++) {
      const t = Buffer.from(bytes);
      t[i] = t[i]! ^ 0x80;
      expect(verifyResetReceipt(keyOf(card), 'sign', t), `byte ${i}`).toBeNull();
    }
    expect(verifyResetReceipt(keyOf(card), 'auth', bytes)).toBeNull();
    expect(other.state.cardId).not.toBe(card.state.cardId);
    expect(verifyResetReceipt(keyOf(other), 'sign', bytes)).toBeNull();
    expect(verifyResetReceipt(diversifyResetKey(Buffer.alloc(32, 7), card.state.cardId), 'sign', bytes)).toBeNull();
  });

  it('power-off clears the current challenge but neither the record nor the challenge number', async () => {
    const card = await fresh('sign-locked');
    tx(card, SELECT.jpki);
    const ch = reset(card, 'sign', 'FRESH2024');
    challenge(card);
    card.powerOff();
    card.powerOn();
    tx(card, SELECT.jpki);
    expect(receipt(card, 'sign')).toEqual(says(1, upper(ch), null, 2));
  });

  it('a GET CHALLENGE whose commit fails shows in no receipt: no current challenge, the number unchanged', async () => {
    let failing = false;
    const store: CardStore = {
      commit: () => {
        if (failing) throw new Error('disk full');
      },
    };
    const card = await fresh('adult', store);
    tx(card, SELECT.jpki);
    const ch = challenge(card);
    expect(receipt(card, 'auth')).toEqual(says(0, null, upper(ch), 1));
    failing = true;
    expect(tx(card, '0084000008')).toBe('6581');
    expect(receipt(card, 'auth')).toEqual(says(0, null, null, 1));
    expect(externalAuthenticate(card, 'auth', ch)).toBe('6985');
    failing = false;
    const next = challenge(card);
    expect(receipt(card, 'auth')).toEqual(says(0, null, upper(next), 2));
  });
});

describe('what a later receipt proves about an authorization, on the card', () => {
  /** GET CHALLENGE, then the receipt the center authorizes on (it shows the challenge as current). */
  function authorize(card: Card, kind: Kind): { ch: Buffer; authorization: AuthorizedChallenge } {
    const ch = challenge(card);
    const r = receipt(card, kind);
    expect(r.currentChallenge).toBe(upper(ch));
    return { ch, authorization: { challenge: upper(ch), resetCount: r.resetCount, challengeSeq: r.challengeSeq } };
  }

  it('used: the reset was made with the authorized challenge', async () => {
    const card = await fresh('sign-locked');
    tx(card, SELECT.jpki);
    const { ch, authorization } = authorize(card, 'sign');
    expect(externalAuthenticate(card, 'sign', ch)).toBe('9000');
    expect(resetRetryCounter(card, 'sign', 'FRESH2024')).toBe('9000');
    expect(judgeAuthorization(authorization, receipt(card, 'sign'))).toBe('used');
    // Still used after more challenges and a power cycle.
    challenge(card);
    card.powerOff();
    card.powerOn();
    tx(card, SELECT.jpki);
    expect(judgeAuthorization(authorization, receipt(card, 'sign'))).toBe('used');
  });

  it('unused after a newer challenge, even when EXTERNAL AUTHENTICATE had already accepted the MAC', async () => {
    const card = await fresh('sign-locked');
    tx(card, SELECT.jpki);
    const { ch, authorization } = authorize(card, 'sign');
    expect(externalAuthenticate(card, 'sign', ch)).toBe('9000');
    challenge(card);
    expect(judgeAuthorization(authorization, receipt(card, 'sign'))).toBe('unused');
    // ...and it is true: the authorization went with the new challenge, and the MAC is worthless.
    expect(resetRetryCounter(card, 'sign', 'FRESH2024')).toBe('6982');
    challenge(card);
    expect(externalAuthenticate(card, 'sign', ch)).toBe('6300');
    expect(receipt(card, 'sign').resetCount).toBe(0);
  });

  it('unused after one reset made with another challenge; unknown after two', async () => {
    const card = await fresh('sign-locked');
    tx(card, SELECT.jpki);
    const { authorization } = authorize(card, 'sign');
    reset(card, 'sign', 'OTHER2024');
    expect(judgeAuthorization(authorization, receipt(card, 'sign'))).toBe('unused');
    reset(card, 'sign', 'THIRD2024');
    expect(judgeAuthorization(authorization, receipt(card, 'sign'))).toBe('unknown');
  });

  it('unknown while no newer challenge was given out (the challenge may still be held)', async () => {
    const card = await fresh('sign-locked');
    tx(card, SELECT.jpki);
    const { authorization } = authorize(card, 'sign');
    expect(judgeAuthorization(authorization, receipt(card, 'sign'))).toBe('unknown');
    card.powerOff(); // the challenge is gone, but the receipt cannot show it
    card.powerOn();
    tx(card, SELECT.jpki);
    expect(judgeAuthorization(authorization, receipt(card, 'sign'))).toBe('unknown');
    challenge(card);
    expect(judgeAuthorization(authorization, receipt(card, 'sign'))).toBe('unused');
  });
});

describe('the reset record in the card file', () => {
  it('survives a reload from the card file with the challenge number; card files without them load as 0', async () => {
    const { file } = await createCard('sign-locked', { dir, name: 'reload', masterKey: DEV_MASTER_KEY });
    const before = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    // As every card file made before the record and the count existed.
    expect('resets' in before).toBe(false);
    expect('challengesIssued' in before).toBe(false);
    const first = loadCard(file);
    first.powerOn();
    tx(first, SELECT.jpki);
    expect(receipt(first, 'sign')).toEqual(NONE);
    const ch = reset(first, 'sign', 'FRESH2024');
    challenge(first);
    first.release();
    expect(readCardFile(file).resets).toEqual({ sign: { count: 1, lastChallenge: upper(ch) } });
    expect(readCardFile(file).challengesIssued).toBe(2);

    const second = loadCard(file);
    second.powerOn();
    tx(second, SELECT.jpki);
    expect(receipt(second, 'sign')).toEqual(says(1, upper(ch), null, 2));
    const third = challenge(second);
    expect(receipt(second, 'sign')).toEqual(says(1, upper(ch), upper(third), 3));
    tx(second, SELECT.ef('001B'));
    expect(tx(second, verifyHex('FRESH2024'))).toBe('9000');
    second.release();
  });

  it('a reset whose commit fails (65 81) changes neither the password nor the record', async () => {
    let failing = false;
    const commits: CardFile[] = [];
    const store: CardStore = {
      commit: (next) => {
        if (failing) throw new Error('disk full');
        commits.push(next);
      },
    };
    const card = await fresh('sign-locked', store);
    tx(card, SELECT.jpki);
    const ch = challenge(card);
    commits.length = 0;
    failing = true;
    const before = card.state;
    expect(externalAuthenticate(card, 'sign', ch)).toBe('9000');
    expect(resetRetryCounter(card, 'sign', 'FRESH2024')).toBe('6581');
    expect(card.state).toBe(before);
    expect(receipt(card, 'sign')).toEqual(says(0, null, null, 1));
    tx(card, SELECT.ef('001B'));
    expect(tx(card, '00200080')).toBe('63C0');
    expect(commits).toHaveLength(0);

    // The authorization is still held (nothing happened), so the same reset can be retried.
    failing = false;
    tx(card, SELECT.jpki);
    expect(resetRetryCounter(card, 'sign', 'FRESH2024')).toBe('6982'); // reselecting the AP dropped it
    const ch2 = challenge(card);
    expect(externalAuthenticate(card, 'sign', ch2)).toBe('9000');
    failing = true;
    expect(resetRetryCounter(card, 'sign', 'FRESH2024')).toBe('6581');
    failing = false;
    expect(resetRetryCounter(card, 'sign', 'FRESH2024')).toBe('9000');
    expect(receipt(card, 'sign')).toEqual(says(1, upper(ch2), null, 2));
    expect(commits.map((s) => s.resets?.sign?.count)).toEqual([undefined, 1]); // ch2's count, then the reset
  });

  it('a card whose count is at 65535 takes no further reset (the receipt could not count it)', async () => {
    const source = readCardFile(await fileOf('sign-locked'));
    const file = path.join(dir, 'full-count.card.json');
    fs.writeFileSync(file, serializeCardFile({ ...source, name: 'full-count', resets: { sign: { count: 65535, lastChallenge: '0102030405060708' } } }));
    const store = new MemoryCardStore();
    const card = loadCard(file, { store, lock: false });
    card.powerOn();
    tx(card, SELECT.jpki);
    expect(receipt(card, 'sign')).toEqual(says(65535, '0102030405060708', null, 0));
    const ch = challenge(card);
    expect(externalAuthenticate(card, 'sign', ch)).toBe('9000');
    expect(resetRetryCounter(card, 'sign', 'FRESH2024')).toBe('6985');
    expect(store.commits).toHaveLength(1); // the challenge's count
    expect(card.state.resets).toEqual({ sign: { count: 65535, lastChallenge: '0102030405060708' } });
    // The auth PIN's own count is separate.
    expect(reset(card, 'auth', '1357')).toHaveLength(8);
    expect(receipt(card, 'auth').resetCount).toBe(1);
  });

  it('is validated strictly when present', async () => {
    const base = readCardFile(await fileOf('adult'));
    const under15 = readCardFile(await fileOf('under15'));
    const ok = { count: 2, lastChallenge: '0102030405060708' };
    expect(validateCardFile({ ...base, resets: {} }).resets).toEqual({});
    expect(validateCardFile({ ...base, resets: { sign: ok, auth: { count: 65535, lastChallenge: 'FFFFFFFFFFFFFFFF' } } }).resets?.sign).toEqual(ok);
    const bad: Array<[string, unknown, CardFile?]> = [
      ['not an object', [ok]],
      ['null', null],
      ['an unknown PIN', { text: ok }],
      ['a record that is not an object', { sign: 3 }],
      ['count 0', { sign: { count: 0, lastChallenge: '0102030405060708' } }],
      ['count above 65535', { sign: { count: 65536, lastChallenge: '0102030405060708' } }],
      ['a fractional count', { sign: { count: 1.5, lastChallenge: '0102030405060708' } }],
      ['a count as a string', { sign: { count: '1', lastChallenge: '0102030405060708' } }],
      ['no last challenge', { sign: { count: 1 } }],
      ['a lower-case challenge', { sign: { count: 1, lastChallenge: '0a0b0c0d0e0f0102' } }],
      ['a short challenge', { sign: { count: 1, lastChallenge: '01020304050607' } }],
      ['an unknown field', { sign: { ...ok, extra: true } }],
      ['a sign record on a card without a sign password', { sign: ok }, under15],
    ];
    for (const [what, resets, state = base] of bad) {
      expect(() => validateCardFile({ ...state, resets }), what).toThrow(expect.objectContaining({ code: 'CARD_FILE_INVALID' }));
    }
  });
});
