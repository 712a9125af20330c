/**
 * Fuzz: ≥ 100 000 random and mutated APDUs into the card in-process. The card must never throw,
 * never answer outside its documented status words (in particular never 6F00, its "internal error"),
 * and never change its persistent state except through a command that is allowed to: a VERIFY with
 * data (its counter), a CHANGE REFERENCE DATA after a VERIFY, a GET CHALLENGE (the count of
 * challenges given out, up by one, and nothing else), or a RESET RETRY COUNTER after a valid
 * EXTERNAL AUTHENTICATE — which random bytes cannot forge, so the fuzzer must never see one.
 *
 * Deterministic (seeded PRNG), so a failure names the seed and step that reproduce it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { hex } from '../../native/apdu/apdu';
import type { CardFile } from '../../native/card/card-state';
import type { PersonaId } from '../../native/card/personas';
import { CardFactory } from './card-fixtures';
import { ALLOWED_SW, mutate, prng, seeds } from './card-fuzz-corpus';

const cards = new CardFactory();
afterAll(() => cards.cleanup());

const TOTAL = 100_000;
/** A fresh card every so often, so the fuzzer keeps reaching unblocked PINs. */
const CARD_LIFETIME = 2_500;

/** Which PIN records differ between two states, and how. */
function pinChanges(before: CardFile, after: CardFile): Array<{ pin: string; triesOnly: boolean; from: number; to: number }> {
  const out = [];
  for (const pin of new Set([...Object.keys(before.pins), ...Object.keys(after.pins)]) as Set<keyof CardFile['pins']>) {
    const a = before.pins[pin];
    const b = after.pins[pin];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    const triesOnly = a !== undefined && b !== undefined && a.salt === b.salt && a.verifier === b.verifier && a.sealed === b.sealed;
    out.push({ pin, triesOnly, from: a?.triesLeft ?? -1, to: b?.triesLeft ?? -1 });
  }
  return out;
}

function withoutPins(s: CardFile): string {
  return JSON.stringify({ ...s, pins: undefined });
}

function withoutChallengeCount(s: CardFile): string {
  return JSON.stringify({ ...s, challengesIssued: undefined });
}

describe('fuzz', () => {
  it(`survives ${TOTAL} random and mutated APDUs and changes state only through allowed commands`, async () => {
    const SEED = 0x4b696f73; // "Kios"
    const rnd = prng(SEED);
    const personas: PersonaId[] = ['adult', 'under15', 'sign-locked', 'both-unknown'];
    const seedBytes = new Map(personas.map((p) => [p, seeds(p).map((h) => Buffer.from(h, 'hex'))]));
    const counts = { commits: 0, verifyCommits: 0, changeCommits: 0, challengeCommits: 0, receipts: 0, sw: new Map<number, number>() };

    let sent = 0;
    while (sent < TOTAL) {
      const persona = personas[Math.floor(sent / CARD_LIFETIME) % personas.length]!;
      const { card, store } = await cards.fresh(persona);
      const pool = seedBytes.get(persona)!;
      for (let i = 0; i < CARD_LIFETIME && sent < TOTAL; i++, sent++) {
        const where = `seed ${SEED} step ${sent} (${persona})`;
        const r = rnd();
        if (r < 0.002) {
          card.powerOff();
          card.powerOn();
        } else if (r < 0.003) card.reset();
        // Half the time a seed as is (to reach deep states), half mutated.
        const seed = pool[Math.floor(rnd() * pool.length)]!;
        const apdu = rnd() < 0.5 ? seed : mutate(rnd, seed);
        const before = card.state;
        const commitsBefore = store.commits.length;

        let response: Buffer;
        try {
          response = card.transmit(apdu);
        } catch (err) {
          throw new Error(`${where}: card threw on ${hex(apdu)}: ${String(err)}`);
        }
        if (response.length < 2) throw new Error(`${where}: no status word for ${hex(apdu)}`);
        const sw = response.readUInt16BE(response.length - 2);
        counts.sw.set(sw, (counts.sw.get(sw) ?? 0) + 1);
        if (!ALLOWED_SW.has(sw)) throw new Error(`${where}: unexpected SW ${sw.toString(16)} for ${hex(apdu)}`);
        if (sw !== 0x9000 && response.length !== 2) throw new Error(`${where}: data with an error SW for ${hex(apdu)}`);
        if (apdu[0] === 0x80 && apdu[1] === 0xca && sw === 0x9000) {
          counts.receipts++;
          if (response.length !== 40) throw new Error(`${where}: a reset receipt of ${response.length - 2} bytes for ${hex(apdu)}`);
        }

        const newCommits = store.commits.length - commitsBefore;
        const ins = apdu[1];
        const ok = sw === 0x9000;
        const isGetChallenge = apdu[0] === 0x00 && ins === 0x84;
        if (newCommits === 0) {
          if (card.state !== before) throw new Error(`${where}: state changed without a commit for ${hex(apdu)}`);
          if (isGetChallenge && ok) throw new Error(`${where}: a challenge given without its count committed: ${hex(apdu)}`);
          continue;
        }
        counts.commits++;
        const after = card.state;
        if (newCommits !== 1 || after !== store.commits.at(-1)) throw new Error(`${where}: ${newCommits} commits for one APDU ${hex(apdu)}`);
        if (isGetChallenge) {
          // GET CHALLENGE: the count of challenges up by one, nothing else, and a challenge given.
          if (!ok || (after.challengesIssued ?? 0) !== (before.challengesIssued ?? 0) + 1 || withoutChallengeCount(after) !== withoutChallengeCount(before)) {
            throw new Error(`${where}: GET CHALLENGE with SW ${sw.toString(16)} wrote count ${after.challengesIssued} after ${before.challengesIssued}: ${hex(apdu)}`);
          }
          counts.challengeCommits++;
          continue;
        }
        if (withoutPins(after) !== withoutPins(before)) throw new Error(`${where}: something other than a PIN changed for ${hex(apdu)}`);
        const changes = pinChanges(before, after);
        if (changes.length !== 1) throw new Error(`${where}: ${changes.length} PINs changed for ${hex(apdu)}`);
        const ch = changes[0]!;
        if (apdu[0] !== 0x00) throw new Error(`${where}: a CLA ${apdu[0]} command changed a PIN: ${hex(apdu)}`);
        if (ins === 0x20) {
          // VERIFY with data: only the counter moves — down by one on a wrong value, up to full on a right one.
          const wrong = (sw & 0xfff0) === 0x63c0;
          if (!ch.triesOnly || !(ok || wrong) || (wrong && ch.to !== ch.from - 1) || (ok && ch.to <= ch.from)) {
            throw new Error(`${where}: VERIFY changed ${JSON.stringify(ch)} with SW ${sw.toString(16)}: ${hex(apdu)}`);
          }
          counts.verifyCommits++;
        } else if (ins === 0x24 && ok) {
          counts.changeCommits++;
        } else if (ins === 0x2c) {
          throw new Error(`${where}: RESET RETRY COUNTER succeeded without a center MAC: ${hex(apdu)}`);
        } else {
          throw new Error(`${where}: INS ${ins?.toString(16)} with SW ${sw.toString(16)} changed a PIN: ${hex(apdu)}`);
        }
      }
    }
    expect(sent).toBeGreaterThanOrEqual(100_000);
    // The fuzzer did reach the state-changing paths it guards, and never the internal-error answer.
    expect(counts.verifyCommits).toBeGreaterThan(100);
    expect(counts.changeCommits).toBeGreaterThan(0);
    expect(counts.challengeCommits).toBeGreaterThan(100);
    expect(counts.receipts).toBeGreaterThan(0);
    expect(counts.sw.get(0x6f00) ?? 0).toBe(0);
    expect(counts.sw.size).toBeGreaterThan(15);
  }, 120_000);
});
