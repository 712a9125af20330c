/**
 * An exercise scenario: who comes to the kiosk (a persona's card, changed as the exercise needs),
 * what the reservation center knows about them, the store, its clock and language, what the
 * trainee is told, and how success is judged. Scenarios are data files under `scenarios/` (YAML or
 * JSON; docs/scenarios.md); a trainer adds one by dropping a file in a folder.
 *
 * The schema is TypeBox, so the JSON Schema trainers' editors use (scenarios/scenario.schema.json,
 * written by `npm run scenario -- schema`) is derived from the same source as the type. A file that
 * does not fit is refused with every problem as `<file>: <json path>: <what is wrong>`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Type, { type Static } from 'typebox';
import { LineCounter, parseDocument } from 'yaml';
import { GuidanceReasonSchema } from '../contract/kiosk';
import { assertSame, ChainIdSchema, Closed, LanguageSchema, ResetKindSchema, type Same } from '../contract/schema';
import { CHAINS, chainOffers } from '../domain/chains';
import { PASSWORD_RULES, passwordFormatProblem, type ResetKind } from '../domain/passwords';
import { PERSONA_IDS, PERSONAS, type PersonaId } from '../../native/card/personas';
import { CARD_PRESENTATIONS } from '../../native/card/presentation';
import { instantOf, LOCAL_TIME_FORM, LOCAL_TIME_PATTERN, parseLocalTime } from './local-time';
import { jsonPath, schemaProblems, type PathSegment } from './schema-problems';

// ---------------------------------------------------------------------------------------------
// Schema

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const Bilingual = (maxLength: number) => Closed({ ja: Text(maxLength), en: Text(maxLength) });
const LocalTimeSchema = Type.String({ pattern: LOCAL_TIME_PATTERN, description: LOCAL_TIME_FORM });
/** A password the exercise names (the one the trainee is told to choose); checked against its kind's format. */
const PasswordSchema = Type.String({ minLength: 1, maxLength: 32 });
const Tries = (kind: ResetKind) => Type.Integer({ minimum: 0, maximum: PASSWORD_RULES[kind].maxTries });

const PersonaSchema = Type.Enum(PERSONA_IDS as PersonaId[]);
assertSame<Same<Static<typeof PersonaSchema>, PersonaId>>();

export const CardChangesSchema = Closed({
  /** Tries left per password at the start (0 = locked); absent = as the persona has it. */
  triesLeft: Type.Optional(Closed({ sign: Type.Optional(Tries('sign')), auth: Type.Optional(Tries('auth')) })),
  /** Certificate statuses as the issuer sees them ('lapsed' = 失効, e.g. after a move). */
  certificates: Type.Optional(Closed({ sign: Type.Optional(Type.Enum(['active', 'lapsed'])), auth: Type.Optional(Type.Enum(['active', 'lapsed'])) })),
  /** Both certificates expire together, this many days after the scenario's day (negative = already expired). */
  certificatesExpireInDays: Type.Optional(Type.Integer({ minimum: -3650, maximum: 3650 })),
  /** The card's own expiry, days after the scenario's day (negative = already expired). */
  cardExpiresInDays: Type.Optional(Type.Integer({ minimum: -3650, maximum: 3650 })),
  /** How the card presents itself on the reader; absent = an ordinary simulator card. */
  presentAs: Type.Optional(Type.Enum(CARD_PRESENTATIONS as ('real-card' | 'other-ic-card' | 'faulty-card')[])),
});
export type CardChanges = Static<typeof CardChangesSchema>;

export const ReservationSetupSchema = Type.Union([
  /** No reservation for this card. */
  Closed({ state: Type.Literal('none') }),
  /** Booked in the app `hoursAgo` hours ago (default 1; valid for 24 h). */
  Closed({ state: Type.Literal('booked'), kind: ResetKindSchema, hoursAgo: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 24 })) }),
  /** Booked `hoursAgo` hours ago (default 26): past its 24 h. */
  Closed({ state: Type.Literal('expired'), kind: ResetKindSchema, hoursAgo: Type.Optional(Type.Number({ minimum: 24, maximum: 24 * 365 })) }),
  /** Booked and already used at another kiosk. */
  Closed({ state: Type.Literal('used'), kind: ResetKindSchema }),
  /** The app is locked for this card (5 failed face checks in a row). */
  Closed({ state: Type.Literal('app-locked') }),
  /**
   * Booked, and an earlier try at another kiosk was interrupted after the card took `newPassword`
   * (the kiosk never confirmed): the card's receipt proves the reset done.
   */
  Closed({ state: Type.Literal('interrupted'), kind: ResetKindSchema, newPassword: PasswordSchema }),
]);
export type ReservationSetup = Static<typeof ReservationSetupSchema>;

export const ScenarioClockSchema = Type.Union([
  /** The store's clock reads `at` when the exercise starts; it runs on unless `frozen`. */
  Closed({ at: LocalTimeSchema, frozen: Type.Optional(Type.Boolean()) }),
  /** Real time shifted by this many minutes. */
  Closed({ offsetMinutes: Type.Integer({ minimum: -525_600, maximum: 525_600 }) }),
]);
export type ScenarioClock = Static<typeof ScenarioClockSchema>;

export const SuccessSchema = Type.Union([
  /**
   * The card's `reset` password was reset at this station. With `newPassword` (the password the
   * task tells the trainee to choose), the card must also verify it.
   */
  Closed({ reset: ResetKindSchema, newPassword: Type.Optional(PasswordSchema) }),
  /**
   * The trainee reached the guidance screen for `guidance`. With `cardUntouched`, no password was
   * tried on the card on the way (its counters are as they were at the start).
   */
  Closed({ guidance: GuidanceReasonSchema, cardUntouched: Type.Optional(Type.Boolean()) }),
]);
export type Success = Static<typeof SuccessSchema>;

export const ScenarioSchema = Type.Object(
  {
    /** For editors that read a JSON file's `$schema`. */
    $schema: Type.Optional(Type.String({ maxLength: 500 })),
    /** Lower-case letters, digits and '-': also the name of the card the exercise makes. */
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,47}$', description: 'lower-case letters, digits and "-", at most 48' }),
    title: { ...Bilingual(120), description: 'The exercise\'s name, in Japanese and English.' },
    /** What the trainee is told, in both languages. */
    task: { ...Bilingual(2000), description: 'What the trainee is told (who they are, which passwords they know), in both languages.' },
    persona: { ...PersonaSchema, description: 'A persona of the virtual card (npm run card -- personas).' },
    card: Type.Optional({ ...CardChangesSchema, description: 'Changes to the persona\'s card: tries left, certificate statuses and expiry, card expiry, how it presents itself.' }),
    /** Absent: no reservation. */
    reservation: Type.Optional({ ...ReservationSetupSchema, description: 'What the reservation center knows of the card (default: state none).' }),
    chain: { ...ChainIdSchema, description: 'The store chain of the kiosk.' },
    /** Absent: real time. */
    clock: Type.Optional({ ...ScenarioClockSchema, description: 'The store clock: { at: "HH:MM" } (Japan time, runs on unless frozen) or { offsetMinutes }. Absent: real time.' }),
    /** The language a session starts in (default ja). */
    language: Type.Optional({ ...LanguageSchema, description: 'The language a session starts in (default ja).' }),
    /** The kiosk's maintenance windows. */
    maintenance: Type.Optional(Type.Array(Closed({ from: LocalTimeSchema, until: LocalTimeSchema }), { maxItems: 10 })),
    /** The station's reader unplugged, or its reservation center unreachable. */
    faults: Type.Optional(Closed({ reader: Type.Optional(Type.Literal('missing')), center: Type.Optional(Type.Literal('down')) })),
    success: { ...SuccessSchema, description: '{ reset: sign|auth, newPassword? } or { guidance: <reason>, cardUntouched? } (docs/scenarios.md §4).' },
    /** Minutes from the start within which success counts. */
    timeLimitMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 240 })),
  },
  { additionalProperties: false },
);
export type Scenario = Static<typeof ScenarioSchema>;

/** The JSON Schema for trainers' editors (scenarios/scenario.schema.json). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://kiosk-sim.invalid/scenario.schema.json',
    title: 'kiosk-sim exercise scenario',
    description: 'See docs/scenarios.md. Generated from electron/classroom/scenario.ts by `npm run scenario -- schema`; do not edit.',
    ...(JSON.parse(JSON.stringify(ScenarioSchema)) as Record<string, unknown>),
  };
}

// ---------------------------------------------------------------------------------------------
// Errors

export interface ScenarioProblem {
  readonly file: string;
  /** JSON path of the field (`$` for the whole file). */
  readonly path: string;
  readonly message: string;
}

export type ScenarioErrorCode = 'SCENARIO_INVALID' | 'SCENARIO_UNREADABLE' | 'SCENARIO_DUPLICATE';

export function formatProblem(p: ScenarioProblem): string {
  return `${p.file}: ${p.path}: ${p.message}`;
}

export class ScenarioError extends Error {
  constructor(
    readonly code: ScenarioErrorCode,
    readonly problems: readonly ScenarioProblem[],
  ) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ScenarioError';
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** Larger than any sensible exercise: a bigger file is a mistake (or not a scenario). */
export const MAX_SCENARIO_BYTES = 64 * 1024;

const isJsonFile = (file: string) => file.toLowerCase().endsWith('.json');

/** Parses and checks one scenario; `file` names it in problems (and `.json` selects JSON). */
export function parseScenario(text: string, file: string): Scenario {
  const problem = (p: string, message: string) => new ScenarioError('SCENARIO_INVALID', [{ file, path: p, message }]);
  if (Buffer.byteLength(text, 'utf8') > MAX_SCENARIO_BYTES) throw problem('$', `larger than ${MAX_SCENARIO_BYTES / 1024} KiB`);
  let value: unknown;
  let lineOf: (at: readonly PathSegment[]) => number | undefined = () => undefined;
  if (isJsonFile(file)) {
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw problem('$', `not valid JSON (${(err as Error).message})`);
    }
  } else {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
    const first = doc.errors[0];
    if (first !== undefined) {
      const pos = lineCounter.linePos(first.pos[0]);
      throw problem('$', `not valid YAML at line ${pos.line}, column ${pos.col} (${first.code})`);
    }
    value = doc.toJS({ maxAliasCount: 50 });
    lineOf = (at) => {
      // The field itself, or for a missing one the nearest enclosing field that is there.
      for (let n = at.length; n >= 0; n--) {
        const node = doc.getIn(at.slice(0, n), true) as { range?: [number, number, number] } | undefined;
        if (node?.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    };
  }
  const found = [...schemaProblems(ScenarioSchema, value)];
  if (found.length === 0) found.push(...meaningProblems(value as Scenario));
  if (found.length > 0) {
    throw new ScenarioError(
      'SCENARIO_INVALID',
      found.map((p) => {
        const line = lineOf(p.path);
        return { file, path: jsonPath(p.path), message: line === undefined ? p.message : `${p.message} (line ${line})` };
      }),
    );
  }
  return value as Scenario;
}

/** Reads and checks one scenario file. */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_SCENARIO_BYTES) throw new ScenarioError('SCENARIO_INVALID', [{ file, path: '$', message: `larger than ${MAX_SCENARIO_BYTES / 1024} KiB` }]);
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof ScenarioError) throw err;
    throw new ScenarioError('SCENARIO_UNREADABLE', [{ file, path: '$', message: `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` }]);
  }
  return parseScenario(text, file);
}

type Found = { readonly path: readonly PathSegment[]; readonly message: string };

const KIND_LABEL: Readonly<Record<ResetKind, string>> = { sign: '署名用 (signature) password', auth: '利用者証明用 (auth) PIN' };

/** What the schema cannot say: the parts must fit together, and the persona must have what is asked of it. */
function meaningProblems(s: Scenario): Found[] {
  const out: Found[] = [];
  const persona = PERSONAS[s.persona];
  const hasSign = persona.pins.sign !== null;
  const needSign = (at: PathSegment[], what: string) => {
    if (!hasSign) out.push({ path: at, message: `the ${s.persona} persona has no signature certificate, so no ${what}` });
  };
  if (s.card?.triesLeft?.sign !== undefined) needSign(['card', 'triesLeft', 'sign'], '署名用 password');
  if (s.card?.certificates?.sign !== undefined) needSign(['card', 'certificates', 'sign'], 'signature certificate status');

  const password = (at: PathSegment[], kind: ResetKind, value: string) => {
    const p = passwordFormatProblem(kind, value);
    if (p !== null) out.push({ path: at, message: `is not a valid ${KIND_LABEL[kind]} (${p})` });
  };
  const r = s.reservation ?? { state: 'none' };
  if (r.state === 'interrupted') {
    password(['reservation', 'newPassword'], r.kind, r.newPassword);
    if (r.kind === 'sign') needSign(['reservation', 'kind'], '署名用 password to reset');
  }

  const ok = s.success;
  if ('reset' in ok) {
    if (!chainOffers(s.chain, ok.reset)) {
      out.push({ path: ['success', 'reset'], message: `${CHAINS[s.chain].nameEn} does not offer this reset at its kiosks (judge guidance chain-does-not-offer instead, or choose another chain)` });
    }
    if (ok.newPassword !== undefined) password(['success', 'newPassword'], ok.reset, ok.newPassword);
    if (ok.reset === 'sign') needSign(['success', 'reset'], '署名用 password to reset');
    if (r.state !== 'booked' || r.kind !== ok.reset) {
      out.push({ path: ['reservation'], message: `a reset needs a reservation booked for it: state booked, kind ${ok.reset}` });
    }
    if (s.faults !== undefined && (s.faults.reader !== undefined || s.faults.center !== undefined)) {
      out.push({ path: ['faults'], message: 'no reset can succeed with the reader or the center out of order' });
    }
  }

  const day = Date.UTC(2026, 0, 1);
  const at = (p: PathSegment[], text: string): number | null => {
    const t = parseLocalTime(text);
    if (t === null) out.push({ path: p, message: `is not a real date and time (${LOCAL_TIME_FORM})` });
    return t === null ? null : instantOf(t, day);
  };
  if (s.clock !== undefined && 'at' in s.clock) at(['clock', 'at'], s.clock.at);
  s.maintenance?.forEach((w, i) => {
    const from = at(['maintenance', i, 'from'], w.from);
    const until = at(['maintenance', i, 'until'], w.until);
    if (from !== null && until !== null && until <= from) out.push({ path: ['maintenance', i, 'until'], message: 'must be after from' });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Folders

/** The scenarios shipped with the simulator. */
export const BUILT_IN_SCENARIO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../scenarios');

export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly file: string;
}

export interface ScenarioScan {
  readonly scenarios: readonly LoadedScenario[];
  readonly problems: readonly ScenarioProblem[];
}

const SCENARIO_FILE = /\.(?:ya?ml|json)$/i;
const SCHEMA_FILE = 'scenario.schema.json';

/** The scenario files of `dir`, sorted (the schema file is not one); a missing folder has none. */
export function scenarioFiles(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .filter((n) => SCENARIO_FILE.test(n) && n !== SCHEMA_FILE && !n.startsWith('.'))
    .sort()
    .map((n) => path.join(dir, n));
}

/**
 * Every scenario in `dirs` that is good, and every problem with the others: a bad file, or a second
 * file with an id already taken (both paths named; the first one found stays).
 */
export function scanScenarios(...dirs: string[]): ScenarioScan {
  const scenarios: LoadedScenario[] = [];
  const problems: ScenarioProblem[] = [];
  const byId = new Map<string, string>();
  for (const dir of dirs) {
    for (const file of scenarioFiles(dir)) {
      let scenario: Scenario;
      try {
        scenario = loadScenario(file);
      } catch (err) {
        if (!(err instanceof ScenarioError)) throw err;
        problems.push(...err.problems);
        continue;
      }
      const taken = byId.get(scenario.id);
      if (taken !== undefined) {
        problems.push({ file, path: '$.id', message: `${JSON.stringify(scenario.id)} is already the id of ${taken}` });
        continue;
      }
      byId.set(scenario.id, file);
      scenarios.push({ scenario, file });
    }
  }
  return { scenarios, problems };
}

/** Like scanScenarios, but refuses the lot if any file is bad or any id is taken twice. */
export function loadScenarios(...dirs: string[]): readonly LoadedScenario[] {
  const { scenarios, problems } = scanScenarios(...dirs);
  if (problems.length > 0) {
    throw new ScenarioError(problems.some((p) => p.path === '$.id' && p.message.includes('already the id')) ? 'SCENARIO_DUPLICATE' : 'SCENARIO_INVALID', problems);
  }
  return scenarios;
}
