/**
 * Whether a trainee did what the scenario asked, from what the station saw: the session record
 * (screens, touches and outcomes, PIN-free; electron/kiosk/record.ts) and the card afterwards.
 * Pure: the caller reads the record and the card (card-observation.ts) and passes them in.
 *
 * Judged on what happened so far: `in-progress` until the goal is reached or something happened
 * that cannot be undone (a password locked by wrong tries, the wrong password reset, the card
 * touched where it should not have been, the time limit passed, the exercise ended).
 */
import type { GuidanceReason } from '../contract/kiosk';
import { otherPassword, type ResetKind } from '../domain/passwords';
import type { KioskEvent } from '../kiosk/ports';
import type { CardCounters } from './card-observation';
import type { Scenario } from './scenario';

export type JudgeOutcome = 'succeeded' | 'failed' | 'in-progress';

export type JudgeReason =
  /** The card's password was reset here (and verifies the password the task named). */
  | 'reset-done'
  /** The expected guidance screen was reached (without touching the card, where asked). */
  | 'guidance-reached'
  /** Nothing decisive yet. */
  | 'not-yet'
  /** A different guidance screen was reached; the trainee may start again. */
  | 'other-guidance-reached'
  /** Wrong tries locked the password the reset needed. */
  | 'other-password-locked'
  /** The other password was reset. */
  | 'wrong-password-reset'
  /** The card was reset, but not to the password the task named. */
  | 'new-password-differs'
  /** A password was tried on the card though the exercise was to leave it alone. */
  | 'card-touched'
  /** The card was reset though the exercise expected a guidance screen. */
  | 'card-reset'
  | 'time-up'
  /** The exercise was ended before it succeeded. */
  | 'ended';

export interface Verdict {
  readonly outcome: JudgeOutcome;
  readonly reason: JudgeReason;
  /** Real time (epoch ms) the goal was reached, when it was. */
  readonly at?: number;
  /** For other-guidance-reached: the guidance reached. */
  readonly guidance?: GuidanceReason;
}

export interface ScenarioObservation {
  /** Real time the exercise started (ScenarioSetup.startedAt). */
  readonly startedAt: number;
  /** Real time now. */
  readonly now: number;
  /** The station's record events (any span: those before `startedAt` are ignored). */
  readonly events: readonly KioskEvent[];
  /** The card's counters when the exercise started, and now. */
  readonly cardAtStart: CardCounters;
  readonly cardNow: CardCounters;
  /** Whether the card verifies the scenario's success.newPassword now; null when it names none. */
  readonly newPasswordVerifies: boolean | null;
  /** The trainer or trainee ended the exercise. */
  readonly ended?: boolean;
}

const verdict = (outcome: JudgeOutcome, reason: JudgeReason, extra: Omit<Verdict, 'outcome' | 'reason'> = {}): Verdict => ({ outcome, reason, ...extra });

/** The guidance reason of a recorded guidance screen (`reason` or `reason:changed`). */
function guidanceOf(e: KioskEvent): GuidanceReason | null {
  return e.type === 'screen' && e.screen === 'guidance' && e.outcome !== undefined ? (e.outcome.split(':')[0] as GuidanceReason) : null;
}

const resetsDone = (o: ScenarioObservation, kind: ResetKind) => o.cardNow.resets[kind] - o.cardAtStart.resets[kind];

export function judgeScenario(s: Scenario, o: ScenarioObservation): Verdict {
  const events = o.events.filter((e) => e.t >= o.startedAt);
  const deadline = s.timeLimitMinutes === undefined ? Infinity : o.startedAt + s.timeLimitMinutes * 60_000;
  const unfinished = (): Verdict | null => (o.now > deadline ? verdict('failed', 'time-up') : o.ended === true ? verdict('failed', 'ended') : null);
  const ok = s.success;

  if ('reset' in ok) {
    const kind = ok.reset;
    if (resetsDone(o, otherPassword(kind)) > 0) return verdict('failed', 'wrong-password-reset');
    if (resetsDone(o, kind) > 0) {
      if (ok.newPassword !== undefined && o.newPasswordVerifies !== true) return verdict('failed', 'new-password-differs');
      const at = events.find((e) => e.type === 'outcome' && e.outcome?.startsWith('reset:reset') === true)?.t ?? o.now;
      return at > deadline ? verdict('failed', 'time-up') : verdict('succeeded', 'reset-done', { at });
    }
    const other = otherPassword(kind);
    if (o.cardNow.triesLeft[other] === 0 && o.cardAtStart.triesLeft[other] !== 0) return verdict('failed', 'other-password-locked');
    return unfinished() ?? verdict('in-progress', 'not-yet');
  }

  if (resetsDone(o, 'sign') > 0 || resetsDone(o, 'auth') > 0) return verdict('failed', 'card-reset');
  const reachedAt = events.findIndex((e) => guidanceOf(e) === ok.guidance);
  if (ok.cardUntouched === true) {
    const before = reachedAt === -1 ? events : events.slice(0, reachedAt);
    const tried = before.some((e) => e.type === 'outcome' && e.outcome?.startsWith('verify:') === true);
    const changed = (['sign', 'auth'] as const).some((k) => o.cardNow.triesLeft[k] !== o.cardAtStart.triesLeft[k]);
    if (tried || changed) return verdict('failed', 'card-touched');
  }
  if (reachedAt !== -1) {
    const at = events[reachedAt]!.t;
    return at > deadline ? verdict('failed', 'time-up') : verdict('succeeded', 'guidance-reached', { at });
  }
  const done = unfinished();
  if (done !== null) return done;
  const lastGuidance = [...events].reverse().map(guidanceOf).find((g) => g !== null);
  return lastGuidance == null ? verdict('in-progress', 'not-yet') : verdict('in-progress', 'other-guidance-reached', { guidance: lastGuidance });
}

/** The record's JSONL (electron/kiosk/record.ts) back as events; lines that are not events are skipped. */
export function parseRecordLines(text: string): KioskEvent[] {
  const out: KioskEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let v: Record<string, unknown>;
    try {
      v = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const t = typeof v.t === 'string' ? Date.parse(v.t) : NaN;
    const sim = typeof v.sim === 'string' ? Date.parse(v.sim) : NaN;
    if (Number.isNaN(t) || Number.isNaN(sim) || typeof v.type !== 'string' || typeof v.screen !== 'string') continue;
    out.push({
      t,
      sim,
      sessionId: typeof v.session === 'string' ? v.session : null,
      type: v.type as KioskEvent['type'],
      screen: v.screen as KioskEvent['screen'],
      ...(typeof v.action === 'string' && { action: v.action }),
      ...(typeof v.outcome === 'string' && { outcome: v.outcome }),
    });
  }
  return out;
}
