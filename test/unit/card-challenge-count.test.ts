/**
 * The card's count of challenges given out (card file `challengesIssued`): GET CHALLENGE commits
 * it, one up, before it answers with the challenge, so it never goes back and is on disk whenever
 * the host holds a challenge. It is the reset receipt's challenge number (reset-receipt.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryCardStore, readCardFile, serializeCardFile, type CardStore } from '../../native/card/card-file';
import { loadCard, unsealSecrets } from '../../native/card/card-module';
import { validateCardFile, type CardFile } from '../../native/card/card-state';
import { MyNumberCard } from '../../native/card/my-number-card';
import { loadSimulatorKey } from '../../native/card/simulator-key';
import { diversifyResetKey, masterKeyFromEnv, resetMac } from '../../native/jpki/reset-mac';
import { ascii, CardFactory, SELECT, tx } from './card-fixtures';

const cards = new CardFactory();
afterAll(() => cards.cleanup());

const GET_CHALLENGE = '0084000008';

function challenge(card: { transmit(a: Buffer): Buffer }): Buffer {
  const r = card.transmit(Buffer.from(GET_CHALLENGE, 'hex'));
  expect(r.subarray(-2).toString('hex')).toBe('9000');
  expect(r).toHaveLength(10);
  return r.subarray(0, 8);
}

function macFor(state: CardFile, challengeBytes: Buffer): string {
  return resetMac(diversifyResetKey(masterKeyFromEnv(), state.cardId), 'sign', challengeBytes).toString('hex');
}

/** A copy of a persona's card file with `patch` applied, as its own file in the card directory. */
async function cardFileWith(name: string, patch: Partial<CardFile>): Promise<string> {
  const source = readCardFile(await cards.file('sign-locked'));
  const file = path.join(cards.dir, `${name}.card.json`);
  fs.writeFileSync(file, serializeCardFile({ ...source, name, ...patch }));
  return file;
}

describe('the count of challenges given out', () => {
  it('goes up by one per GET CHALLENGE, committed before the challenge is answered', async () => {
    const { card, store } = await cards.fresh('adult');
    expect(card.state.challengesIssued).toBeUndefined(); // a new card file has none: 0
    tx(card, SELECT.jpki);
    const seen = new Set<string>();
    for (let n = 1; n <= 3; n++) {
      seen.add(challenge(card).toString('hex'));
      expect(card.state.challengesIssued).toBe(n);
      expect(store.commits).toHaveLength(n);
      expect(store.commits.at(-1)).toBe(card.state);
    }
    expect(seen.size).toBe(3);
    // Only the count moved.
    expect({ ...store.commits.at(-1), challengesIssued: undefined }).toEqual({ ...store.commits[0], challengesIssued: undefined });
  });

  it('survives a reload from the card file; card files without it load as 0', async () => {
    const file = await cardFileWith('reload', {});
    expect('challengesIssued' in JSON.parse(fs.readFileSync(file, 'utf8'))).toBe(false); // as every card file made before the count
    const first = loadCard(file);
    expect(first.state.challengesIssued ?? 0).toBe(0);
    first.powerOn();
    tx(first, SELECT.jpki);
    challenge(first);
    challenge(first);
    first.release();
    expect(readCardFile(file).challengesIssued).toBe(2);

    const second = loadCard(file);
    second.powerOn();
    tx(second, SELECT.jpki);
    challenge(second);
    second.release();
    expect(readCardFile(file).challengesIssued).toBe(3);
  });

  it('a GET CHALLENGE whose commit fails answers 65 81 with no challenge: none is usable, the count stays', async () => {
    let failing = false;
    const commits: CardFile[] = [];
    const store: CardStore = {
      commit: (next) => {
        if (failing) throw new Error('disk full');
        commits.push(next);
      },
    };
    const card = loadCard(await cards.file('sign-locked'), { store, lock: false });
    card.powerOn();
    tx(card, SELECT.jpki);
    const held = challenge(card);
    expect(card.state.challengesIssued).toBe(1);
    const before = card.state;

    failing = true;
    expect(tx(card, GET_CHALLENGE)).toBe('6581');
    expect(card.state).toBe(before);
    expect(commits).toHaveLength(1);
    // Neither a new challenge nor the one held before: EXTERNAL AUTHENTICATE has nothing to check against.
    expect(tx(card, `0082009B10${macFor(card.state, held)}`)).toBe('6985');

    // An authorization already given is withdrawn too, as by any request for a new challenge.
    failing = false;
    const ch = challenge(card);
    expect(card.state.challengesIssued).toBe(2);
    expect(tx(card, `0082009B10${macFor(card.state, ch)}`)).toBe('9000');
    failing = true;
    expect(tx(card, GET_CHALLENGE)).toBe('6581');
    failing = false;
    expect(tx(card, '002C029B09' + ascii('FRESH2024'))).toBe('6982');
    expect(card.state.challengesIssued).toBe(2);
    expect(challenge(card)).toHaveLength(8);
    expect(card.state.challengesIssued).toBe(3);
  });

  it('at 0xFFFFFFFF gives no further challenge (69 85) rather than wrap', async () => {
    const file = await cardFileWith('full-challenges', { challengesIssued: 0xfffffffe });
    const store = new MemoryCardStore();
    const card = loadCard(file, { store, lock: false });
    card.powerOn();
    tx(card, SELECT.jpki);
    const last = challenge(card);
    expect(card.state.challengesIssued).toBe(0xffffffff);
    expect(tx(card, GET_CHALLENGE)).toBe('6985');
    expect(store.commits).toHaveLength(1);
    expect(card.state.challengesIssued).toBe(0xffffffff);
    // The refused request withdrew the challenge held before it.
    expect(tx(card, `0082009B10${macFor(card.state, last)}`)).toBe('6985');
  });

  it('is validated strictly when present', async () => {
    const base = readCardFile(await cards.file('adult'));
    expect(validateCardFile({ ...base, challengesIssued: 0 }).challengesIssued).toBe(0);
    expect(validateCardFile({ ...base, challengesIssued: 0xffffffff }).challengesIssued).toBe(0xffffffff);
    for (const bad of [-1, 1.5, 0x100000000, '1', null, true, Number.NaN]) {
      expect(() => validateCardFile({ ...base, challengesIssued: bad }), String(bad)).toThrow(expect.objectContaining({ code: 'CARD_FILE_INVALID' }));
    }
  });

  it('a challenge is never eight zero bytes, which the reset receipt reads as "no challenge"', async () => {
    const file = await cards.file('adult');
    const state = readCardFile(file);
    const simulatorKey = loadSimulatorKey(path.dirname(file));
    const draws = [Buffer.alloc(8), Buffer.alloc(8), Buffer.from('0000000000000001', 'hex')];
    const card = new MyNumberCard({ state, secrets: unsealSecrets(state, simulatorKey), simulatorKey, store: new MemoryCardStore(), random: () => draws.shift()! });
    card.powerOn();
    tx(card, SELECT.jpki);
    expect(challenge(card).toString('hex')).toBe('0000000000000001');
    expect(card.state.challengesIssued).toBe(1);
  });
});
