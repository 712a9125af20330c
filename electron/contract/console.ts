/**
 * The trainer's console of a classroom (`/console`): every station as the console sees it, what the
 * trainer can do to a selection of stations, and the class summary. Only the console audience has
 * these methods; the browser host gives it only to a page that presented the trainer's token.
 */
import Type, { type Static } from 'typebox';
import { SnapshotSchema } from './kiosk';
import { BilingualSchema, CardNameSchema, Closed, EpochMs } from './schema';

/** A station's number in its classroom (1 = the first). */
export const StationNumberSchema = Type.Integer({ minimum: 1, maximum: 64 });

/** How the station's exercise stands, judged from what happened at the station (classroom/exercise.ts). */
export const ExerciseOutcomeSchema = Type.Union([
  /** No scenario assigned: free practice. */
  Type.Literal('free'),
  Type.Literal('in-progress'),
  Type.Literal('succeeded'),
  Type.Literal('failed'),
  /** The trainer ended the exercise before it was judged. */
  Type.Literal('ended'),
]);
export type ExerciseOutcome = Static<typeof ExerciseOutcomeSchema>;

export const StationViewSchema = Closed({
  n: StationNumberSchema,
  /** The station's latest snapshot (what its screen shows): the console draws it with the real screens. */
  snapshot: Type.Union([SnapshotSchema, Type.Null()]),
  scenario: Type.Union([Closed({ id: Type.String({ maxLength: 100 }), title: BilingualSchema }), Type.Null()]),
  outcome: ExerciseOutcomeSchema,
  /** Why it was judged so (a short code, e.g. `reset:sign`, `guidance:counter`), or null. */
  reason: Type.Union([Type.String({ maxLength: 200 }), Type.Null()]),
  /** When the exercise (or the free practice) started; elapsed time is the console's clock minus this, until `endedAt`. */
  startedAt: EpochMs,
  endedAt: Type.Union([EpochMs, Type.Null()]),
  wrongTries: Type.Integer({ minimum: 0 }),
  helpTaps: Type.Integer({ minimum: 0 }),
  paused: Type.Boolean(),
  /** The station's cards (its tray) and the one on its reader. */
  cards: Type.Array(CardNameSchema, { maxItems: 64 }),
  placed: Type.Union([CardNameSchema, Type.Null()]),
  /** How a trainee's tablet joins this station on a LAN host (the console shows it as a QR code); null on loopback. */
  join: Type.Union([Closed({ code: Type.String({ maxLength: 16 }), url: Type.String({ maxLength: 300 }) }), Type.Null()]),
});
export type StationView = Static<typeof StationViewSchema>;

export const ScenarioSummarySchema = Closed({ id: Type.String({ maxLength: 100 }), title: BilingualSchema });
export type ScenarioSummary = Static<typeof ScenarioSummarySchema>;

export const ClassViewSchema = Closed({
  /** The console's clock (real time): elapsed times are measured against it. */
  now: EpochMs,
  stations: Type.Array(StationViewSchema, { maxItems: 64 }),
  scenarios: Type.Array(ScenarioSummarySchema, { maxItems: 500 }),
});
export type ClassView = Static<typeof ClassViewSchema>;

export const ConsoleActionSchema = Type.Union([
  Closed({ type: Type.Literal('assign-scenario'), scenario: Type.String({ minLength: 1, maxLength: 100 }) }),
  Closed({ type: Type.Literal('place-card'), name: CardNameSchema }),
  Closed({ type: Type.Literal('remove-card') }),
  /** The stations' simulated clock, as an offset from real time (0 = real time). */
  Closed({ type: Type.Literal('set-clock'), offsetMs: Type.Integer({ minimum: -10 * 365 * 86_400_000, maximum: 10 * 365 * 86_400_000 }) }),
  /** Back to the top screen (the session in progress ends as a timeout would end it). */
  Closed({ type: Type.Literal('reset') }),
  /** 「講師の説明中です」: the station shows the overlay and takes no touch until resumed. */
  Closed({ type: Type.Literal('pause') }),
  Closed({ type: Type.Literal('resume') }),
  /** Ends the exercise: judged as it stands; an unjudged one is `ended`. */
  Closed({ type: Type.Literal('end') }),
]);
export type ConsoleAction = Static<typeof ConsoleActionSchema>;

export const ConsoleSelectionSchema = Type.Array(StationNumberSchema, { minItems: 1, maxItems: 64 });

export const ConsoleProblemSchema = Type.Union([
  Type.Literal('no-such-station'),
  Type.Literal('no-such-scenario'),
  Type.Literal('no-such-card'),
  /** The card could not go onto (or come off) the reader, or the scenario could not be set up. */
  Type.Literal('failed'),
]);
export type ConsoleProblem = Static<typeof ConsoleProblemSchema>;

export const ConsoleResultSchema = Type.Union([
  Closed({ ok: Type.Literal(true), view: ClassViewSchema }),
  Closed({
    ok: Type.Literal(false),
    problem: ConsoleProblemSchema,
    /** The stations the action failed on (the others took it). */
    stations: Type.Array(StationNumberSchema, { maxItems: 64 }),
    view: ClassViewSchema,
  }),
]);
export type ConsoleResult = Static<typeof ConsoleResultSchema>;

/** The class summary as CSV text (UTF-8, with a header row). */
export const ClassCsvSchema = Type.String({ maxLength: 1_000_000 });
