/**
 * Scenario files as a trainer writes them: every built-in one loads, together they reach every
 * guidance reason and both resets (with and without earlier wrong tries), a bad file is refused with
 * each problem at its path, duplicate ids name both files, the JSON Schema on disk is the one the
 * code derives, and `npm run scenario -- check` says all of it on the command line.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GuidanceReasonSchema, type GuidanceReason } from '../../electron/contract/kiosk';
import { SCHEMA_FILE, schemaText } from '../../electron/classroom/cli';
import { BUILT_IN_SCENARIO_DIR, loadScenarios, parseScenario, ScenarioError, scanScenarios, type Scenario } from '../../electron/classroom/scenario';
import { otherPassword, PASSWORD_RULES, type ResetKind } from '../../electron/domain/passwords';
import { PERSONAS } from '../../native/card/personas';

const REPO = path.resolve(__dirname, '../..');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'scenario-file-'));
  dirs.push(d);
  return d;
}

const GOOD = `id: my-exercise
title: { ja: 練習, en: Practice }
task: { ja: 署名用を初期化, en: Reset the signature password }
persona: adult
reservation: { state: booked, kind: sign }
chain: lawson
success: { reset: sign }
`;

/** The problems parseScenario reports for `text`, as printed lines. */
function problems(text: string, file = 'x.yaml'): string[] {
  try {
    parseScenario(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return (err as ScenarioError).message.split('\n');
  }
  return [];
}

describe('built-in scenarios', () => {
  const builtIn = loadScenarios(BUILT_IN_SCENARIO_DIR).map((l) => l.scenario);

  it('all load, at least 15, each named after its file', () => {
    expect(builtIn.length).toBeGreaterThanOrEqual(15);
    for (const l of loadScenarios(BUILT_IN_SCENARIO_DIR)) expect(path.basename(l.file)).toBe(`${l.scenario.id}.yaml`);
  });

  it('reach every guidance reason the kiosk has', () => {
    const judged = new Set(builtIn.flatMap((s) => ('guidance' in s.success ? [s.success.guidance] : [])));
    const all = GuidanceReasonSchema.enum as readonly GuidanceReason[];
    expect(all.filter((r) => !judged.has(r))).toEqual([]);
  });

  it('cover both resets, with and without earlier wrong tries of the password the trainee enters', () => {
    /** Tries left at the start of the password that proves the holder (the other one), below its maximum? */
    const triedBefore = (s: Scenario, kind: ResetKind) => {
      const other = otherPassword(kind);
      const left = s.card?.triesLeft?.[other] ?? PERSONAS[s.persona].triesLeft?.[other] ?? PASSWORD_RULES[other].maxTries;
      return left < PASSWORD_RULES[other].maxTries;
    };
    for (const kind of ['sign', 'auth'] as const) {
      const resets = builtIn.filter((s) => 'reset' in s.success && s.success.reset === kind);
      expect(resets.filter((s) => !triedBefore(s, kind)).length, `${kind} reset, no wrong tries before`).toBeGreaterThan(0);
      expect(resets.filter((s) => triedBefore(s, kind)).length, `${kind} reset after wrong tries`).toBeGreaterThan(0);
    }
  });

  it('the JSON Schema on disk is the one the code derives (npm run scenario -- schema)', () => {
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaText());
  });
});

describe('a bad file is refused with the file, the field and what is wrong', () => {
  const table: readonly (readonly [string, string, string])[] = [
    ['unknown persona, with the allowed list', GOOD.replace('persona: adult', 'persona: grown-up'), 'x.yaml: $.persona: "grown-up" is not one of: adult, sign-locked, auth-locked, both-unknown, under15, sign-lapsed, cert-expired, card-expired (line 4)'],
    ['unknown field', GOOD + 'colour: red\n', 'x.yaml: $.colour: unknown field (allowed here: $schema, id, title, task, persona, card, reservation, chain, clock, language, maintenance, faults, success, timeLimitMinutes) (line 8)'],
    ['unknown nested field', GOOD.replace('kind: sign }', 'kind: sign, when: now }'), 'x.yaml: $.reservation.when: unknown field (allowed here: state, kind, hoursAgo) (line 5)'],
    ['missing field', GOOD.replace('chain: lawson\n', ''), 'x.yaml: $.chain: is missing (required) (line 1)'],
    ['missing translation', GOOD.replace(', en: Practice', ''), 'x.yaml: $.title.en: is missing (required) (line 2)'],
    ['bad enum value', GOOD.replace('chain: lawson', 'chain: lawsen'), 'x.yaml: $.chain: "lawsen" is not one of: seven-eleven, familymart, lawson, ministop, aeon, other-fujifilm (line 6)'],
    ['bad reservation state', GOOD.replace('state: booked', 'state: reserved'), 'x.yaml: $.reservation.state: "reserved" is not one of: none, booked, expired, used, app-locked, interrupted (line 5)'],
    ['guidance reason unknown', GOOD.replace('success: { reset: sign }', 'success: { guidance: closed }'), 'x.yaml: $.success.guidance: "closed" is not one of: ' + (GuidanceReasonSchema.enum as string[]).join(', ') + ' (line 7)'],
    ['two kinds of success at once', GOOD.replace('{ reset: sign }', '{ reset: sign, guidance: card-error }'), 'x.yaml: $.success: has fields of different kinds at once (reset, guidance): choose one (line 7)'],
    ['neither kind of success', GOOD.replace('{ reset: sign }', '{ cardUntouched: true }'), 'x.yaml: $.success: must have one of the fields: reset, guidance (line 7)'],
    ['tries out of range', GOOD + 'card: { triesLeft: { auth: 4 } }\n', 'x.yaml: $.card.triesLeft.auth: must be at most 3 (line 8)'],
    ['wrong type', GOOD + 'timeLimitMinutes: soon\n', 'x.yaml: $.timeLimitMinutes: must be a number, not a string (line 8)'],
    ['time of day that does not exist', GOOD + 'clock: { at: "24:10" }\n', 'x.yaml: $.clock.at: is not a real date and time ("HH:MM" or "YYYY-MM-DD HH:MM" (Japan time)) (line 8)'],
    ['a maintenance window that ends before it starts', GOOD + 'maintenance: [{ from: "10:00", until: "09:00" }]\n', 'x.yaml: $.maintenance[0].until: must be after from (line 8)'],
    ['a reset the chain does not offer', GOOD.replace(/sign/g, 'auth'), 'x.yaml: $.success.reset: Lawson does not offer this reset at its kiosks (judge guidance chain-does-not-offer instead, or choose another chain) (line 7)'],
    ['a reset without its reservation', GOOD.replace('state: booked, kind: sign', 'state: expired, kind: sign'), 'x.yaml: $.reservation: a reset needs a reservation booked for it: state booked, kind sign (line 5)'],
    ['a 署名用 password on a card that has none', GOOD.replace('persona: adult', 'persona: under15'), 'x.yaml: $.success.reset: the under15 persona has no signature certificate, so no 署名用 password to reset (line 7)'],
    ['not YAML at all', 'id: [unclosed\n', 'x.yaml: $: not valid YAML at line 2, column 1 (BAD_INDENT)'],
  ];
  it.each(table)('%s', (_what, text, line) => {
    expect(problems(text)).toContain(line);
  });

  it('a password the task names is never quoted back, only what is wrong with it', () => {
    const lines = problems(GOOD.replace('{ reset: sign }', '{ reset: sign, newPassword: "abc!secret" }'));
    expect(lines).toEqual(['x.yaml: $.success.newPassword: is not a valid 署名用 (signature) password (invalid-character) (line 7)']);
    expect(lines.join('\n')).not.toContain('secret');
  });

  it('every problem of a file is listed, each on its own line', () => {
    const lines = problems(GOOD.replace('persona: adult', 'persona: nobody').replace('chain: lawson', 'chain: nowhere'));
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.startsWith('x.yaml: $.'))).toBe(true);
  });

  it('JSON files are read as JSON, with the same checks', () => {
    const s = parseScenario(JSON.stringify({ id: 'j', title: { ja: 'a', en: 'b' }, task: { ja: 'a', en: 'b' }, persona: 'adult', chain: 'aeon', success: { guidance: 'no-reservation' } }), 'j.json');
    expect(s.success).toEqual({ guidance: 'no-reservation' });
    expect(problems('{"id": 1}', 'j.json')).toContain('j.json: $.id: must be text, not an integer');
    expect(problems('{"id": ', 'j.json')[0]).toMatch(/^j\.json: \$: not valid JSON/);
  });
});

describe('docs/scenarios.md', () => {
  it('its example is a scenario the checker accepts', () => {
    const doc = fs.readFileSync(path.join(REPO, 'docs/scenarios.md'), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    expect(parseScenario(example!, 'docs/scenarios.md').id).toBe('late-evening');
  });
});

describe('folders', () => {
  it("a trainer's folder adds its scenarios to the built-in ones", () => {
    const mine = tempDir();
    fs.writeFileSync(path.join(mine, 'mine.yaml'), GOOD);
    fs.writeFileSync(path.join(mine, 'notes.txt'), 'not a scenario');
    const all = loadScenarios(BUILT_IN_SCENARIO_DIR, mine);
    expect(all.map((l) => l.scenario.id)).toContain('my-exercise');
  });

  it('refuses a second file with an id already taken, naming both files', () => {
    const mine = tempDir();
    const file = path.join(mine, 'again.yaml');
    fs.writeFileSync(file, GOOD.replace('id: my-exercise', 'id: sign-reset'));
    let err: unknown;
    try {
      loadScenarios(BUILT_IN_SCENARIO_DIR, mine);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).code).toBe('SCENARIO_DUPLICATE');
    expect((err as ScenarioError).message).toBe(`${file}: $.id: "sign-reset" is already the id of ${path.join(BUILT_IN_SCENARIO_DIR, 'sign-reset.yaml')}`);
    // scanScenarios keeps the good ones usable and reports the bad one.
    const scan = scanScenarios(BUILT_IN_SCENARIO_DIR, mine);
    expect(scan.problems).toHaveLength(1);
    expect(scan.scenarios.filter((l) => l.scenario.id === 'sign-reset')).toHaveLength(1);
  });
});

describe('npm run scenario', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'electron/classroom/cli.ts'), ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });

  it('check: a bad file prints each problem on its own line and exits 1; a good one exits 0', () => {
    const dir = tempDir();
    const bad = path.join(dir, 'bad.yaml');
    const good = path.join(dir, 'good.yaml');
    fs.writeFileSync(bad, GOOD.replace('persona: adult', 'persona: nobody') + 'colour: red\n');
    fs.writeFileSync(good, GOOD);

    const r1 = cli('check', bad);
    expect(r1.status).toBe(1);
    expect(r1.stderr.trim().split('\n')).toEqual([
      `${bad}: $.persona: "nobody" is not one of: ${Object.keys(PERSONAS).join(', ')} (line 4)`,
      `${bad}: $.colour: unknown field (allowed here: $schema, id, title, task, persona, card, reservation, chain, clock, language, maintenance, faults, success, timeLimitMinutes) (line 8)`,
    ]);

    const r2 = cli('check', good);
    expect(r2.stderr).toBe('');
    expect(r2.stdout.trim()).toBe(`ok ${good} (my-exercise)`);
    expect(r2.status).toBe(0);

    // A good file whose id a built-in scenario has is refused too: the two could not be loaded together.
    fs.writeFileSync(good, GOOD.replace('id: my-exercise', 'id: sign-reset'));
    const r3 = cli('check', good);
    expect(r3.status).toBe(1);
    expect(r3.stderr.trim()).toBe(`${good}: $.id: "sign-reset" is already the id of scenarios/sign-reset.yaml`);
  }, 60_000);

  it('list: one line per built-in scenario', () => {
    const r = cli('list');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBe(loadScenarios(BUILT_IN_SCENARIO_DIR).length);
    expect(lines.find((l) => l.startsWith('sign-reset ')) ?? '').toMatch(/adult\s+seven-eleven\s+reset sign\s+Reset the signature certificate password/);
  }, 60_000);
});
