/**
 * `npm run card`: its command line, what it prints for trainers, and the README's persona table,
 * which must list the PINs the personas really have.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatList, formatPersonas, formatStatus } from '../../native/card/card-report';
import { parseCardArgs, UsageError } from '../../native/card/cli-args';
import { PERSONA_IDS, PERSONAS } from '../../native/card/personas';
import { loadSimulatorKey } from '../../native/card/simulator-key';
import { CardFactory } from './card-fixtures';

const cards = new CardFactory();
afterAll(() => cards.cleanup());
const here = path.dirname(fileURLToPath(import.meta.url));

describe('command line', () => {
  const ok: Array<[string[], ReturnType<typeof parseCardArgs>]> = [
    [[], { command: 'help' }],
    [['personas'], { command: 'personas' }],
    [['create', 'adult'], { command: 'create', persona: 'adult', name: undefined }],
    [['create', 'adult', '--name', 'alice'], { command: 'create', persona: 'adult', name: 'alice' }],
    [['create', 'adult', '--name=alice'], { command: 'create', persona: 'adult', name: 'alice' }],
    [['list'], { command: 'list' }],
    [['insert', 'alice'], { command: 'insert', card: 'alice', slot: 0 }],
    [['insert', 'alice', '--slot', '1'], { command: 'insert', card: 'alice', slot: 1 }],
    [['remove', '--slot=1'], { command: 'remove', slot: 1 }],
    [['status', 'alice', '--show-pins'], { command: 'status', card: 'alice', showPins: true }],
  ];
  it.each(ok)('%j', (argv, expected) => expect(parseCardArgs(argv)).toEqual(expected));

  const bad: Array<[string[], RegExp]> = [
    [['insert', 'alice', '--slot', '2'], /--slot takes 0 or 1/],
    [['create', 'adult', '--name', '../etc'], /--name takes/],
    [['create'], /exactly one persona/],
    [['status'], /exactly one card/],
    [['remove', 'alice'], /no arguments/],
    [['frobnicate'], /unknown command/],
    [['list', '--verbose'], /unknown option/],
  ];
  it.each(bad)('%j is refused', (argv, message) => {
    expect(() => parseCardArgs(argv)).toThrow(UsageError);
    expect(() => parseCardArgs(argv)).toThrow(message);
  });
});

describe('what trainers see', () => {
  it('status shows tries, certificate states and holder data, and PIN values only when asked', async () => {
    const { card } = await cards.fresh('sign-locked');
    const plain = formatStatus(card.state);
    expect(plain).toMatch(/sign\s+LOCKED \(0\/5\)/);
    expect(plain).toMatch(/auth\s+3\/3/);
    expect(plain).toMatch(/auth certificate: valid, serial/);
    expect(plain).toContain(card.state.holder.myNumber);
    expect(plain).not.toContain('LOCK2580');
    expect(plain).toContain('--show-pins');
    const shown = formatStatus(card.state, { showPins: { key: loadSimulatorKey(cards.dir) } });
    expect(shown).toMatch(/sign .*PIN LOCK2580/);
    expect(shown).toMatch(/auth .*PIN 2580/);
  });

  it('status shows how many center-authorized resets each password has had, and how many challenges the card gave out', async () => {
    const { card } = await cards.fresh('adult');
    expect(formatStatus(card.state)).toMatch(/^ {2}resets \(center-authorized\): auth 0, sign 0; challenges given out: 0$/m);
    const reset = { ...card.state, resets: { sign: { count: 2, lastChallenge: '0102030405060708' } }, challengesIssued: 7 };
    expect(formatStatus(reset)).toMatch(/^ {2}resets \(center-authorized\): auth 0, sign 2 \(last by challenge 0102030405060708\); challenges given out: 7$/m);
    expect(formatStatus((await cards.fresh('under15')).card.state)).toMatch(/^ {2}resets \(center-authorized\): auth 0; challenges given out: 0$/m);
  });

  it('status marks lapsed and expired certificates and an expired card', async () => {
    expect(formatStatus((await cards.fresh('sign-lapsed')).card.state)).toMatch(/sign certificate: LAPSED/);
    expect(formatStatus((await cards.fresh('under15')).card.state)).toMatch(/sign certificate: not issued/);
    const expired = formatStatus((await cards.fresh('card-expired')).card.state);
    expect(expired).toMatch(/card expiry: \d{4}-\d{2}-\d{2} \(EXPIRED\)/);
    expect(expired).toMatch(/auth certificate: EXPIRED/);
  });

  it('list shows one line per card, and which are inserted', async () => {
    const { card } = await cards.fresh('adult');
    const out = formatList([{ state: card.state, inUseBy: 4242 }, { name: 'broken', error: 'not valid JSON' }]);
    expect(out).toMatch(new RegExp(`^adult\\s+adult\\s+${card.state.cardId}\\s+番号 花子\\s+auth 3/3, sign 5/5\\s+\\[inserted, pid 4242\\]`, 'm'));
    expect(out).toMatch(/^broken\s+\(unreadable: not valid JSON\)$/m);
    expect(formatList([])).toMatch(/no cards yet/);
  });

  it('personas lists every persona with its PINs', () => {
    const out = formatPersonas();
    for (const id of PERSONA_IDS) expect(out).toContain(id);
    expect(out).toMatch(/adult .*\n\s+auth 1234 {2}sign ABC123/);
    expect(out).toMatch(/both-unknown .*\n\s+auth \(random\)/);
  });

  it("the README's persona table lists each persona's real PINs", () => {
    const readme = fs.readFileSync(path.join(here, '..', '..', 'README.md'), 'utf8');
    for (const id of PERSONA_IDS) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${id}\` |`));
      expect(row, `README row for ${id}`).toBeDefined();
      const cells = row!.split('|').map((c) => c.trim());
      const p = PERSONAS[id].pins;
      const show = (v: typeof p.auth | null) => (v === null ? '—' : typeof v === 'string' ? `\`${v}\`` : 'random');
      expect(cells[3]!.startsWith(show(p.auth)), `${id} auth`).toBe(true);
      expect(cells[4]!.startsWith(show(p.sign)), `${id} sign`).toBe(true);
      expect(cells[5], `${id} text`).toBe(show(p.text));
      expect(cells[6], `${id} juki`).toBe(show(p.juki));
    }
  });
});
