/**
 * One station's exercise as the trainer's console follows it: when it started, wrong tries, help
 * taps, and how it stands. A pure fold over the station's session events (electron/kiosk/record.ts
 * writes the same events), so the console and a replay of the record always agree.
 *
 * Whether a scenario's goal was reached is the scenario's judge's to say (`Judgement`); without a
 * scenario the exercise is free practice and never judged.
 */
import type { ExerciseOutcome } from '../contract/console';
import type { KioskEvent } from '../kiosk/ports';

/** A judge's verdict on what happened so far; null while it cannot tell yet. */
export interface Judgement {
  readonly outcome: 'succeeded' | 'failed';
  /** A short code the console shows and the CSV keeps (e.g. `reset:sign`, `guidance:counter`). */
  readonly reason: string;
}

export interface Exercise {
  readonly scenarioId: string | null;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly wrongTries: number;
  readonly helpTaps: number;
  readonly outcome: ExerciseOutcome;
  readonly reason: string | null;
  /** The events since it started, for the judge (PIN-free: KioskEvent has no field for a value). */
  readonly events: readonly KioskEvent[];
}

export function startExercise(at: number, scenarioId: string | null): Exercise {
  return { scenarioId, startedAt: at, endedAt: null, wrongTries: 0, helpTaps: 0, outcome: scenarioId === null ? 'free' : 'in-progress', reason: null, events: [] };
}

/** 「わからない場合」 and the like: the trainee asked the kiosk for help. */
const HELP_ACTIONS: ReadonlySet<string> = new Set(['dont-know-other-password']);

export function isWrongTry(e: KioskEvent): boolean {
  return e.type === 'outcome' && e.outcome === 'verify:wrong';
}

export function isHelpTap(e: KioskEvent): boolean {
  return e.type === 'intent' && e.action !== undefined && HELP_ACTIONS.has(e.action) && e.outcome === undefined;
}

/** The exercise after one more event. Once judged or ended it no longer changes. */
export function noteEvent(x: Exercise, e: KioskEvent): Exercise {
  if (x.endedAt !== null) return x;
  return {
    ...x,
    events: [...x.events, e],
    wrongTries: x.wrongTries + (isWrongTry(e) ? 1 : 0),
    helpTaps: x.helpTaps + (isHelpTap(e) ? 1 : 0),
  };
}

/**
 * The judge's verdict, once it has one (a trainee who goes on practising after succeeding does
 * not undo the result). Free practice is never judged.
 */
export function judged(x: Exercise, verdict: Judgement, at: number): Exercise {
  if (x.endedAt !== null || x.scenarioId === null) return x;
  return { ...x, outcome: verdict.outcome, reason: verdict.reason, endedAt: at };
}

/** The trainer ends it: judged as it stands, `ended` when it was not judged yet. */
export function endExercise(x: Exercise, at: number): Exercise {
  if (x.endedAt !== null) return x;
  return { ...x, endedAt: at, outcome: x.outcome === 'in-progress' || x.outcome === 'free' ? 'ended' : x.outcome };
}

/** Elapsed time at `now` (stops when it ended). */
export function elapsedMs(x: Exercise, now: number): number {
  return Math.max(0, (x.endedAt ?? now) - x.startedAt);
}
