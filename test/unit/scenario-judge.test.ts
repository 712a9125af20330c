/**
 * The judge as a table: a scenario's goal, what the station recorded and the card's counters before
 * and after → succeeded / failed / in-progress and why. The records are the lines a real session
 * writes (electron/kiosk/record.ts); one case reads them back from JSONL.
 */
import { describe, expect, it } from 'vitest';
import type { ScreenId } from '../../electron/contract/kiosk';
import type { CardCounters } from '../../electron/classroom/card-observation';
import { recordLine } from '../../electron/kiosk/record';
import type { KioskEvent } from '../../electron/kiosk/ports';
import { judgeScenario, parseRecordLines, type ScenarioObservation, type Verdict } from '../../electron/classroom/scenario-judge';
import type { Scenario, Success } from '../../electron/classroom/scenario';

const T0 = Date.UTC(2026, 10, 25, 1, 0);
const MIN = 60_000;

function scenario(success: Success, timeLimitMinutes?: number): Scenario {
  return {
    id: 'judge',
    title: { ja: 't', en: 't' },
    task: { ja: 't', en: 't' },
    persona: 'adult',
    reservation: { state: 'booked', kind: 'sign' },
    chain: 'seven-eleven',
    success,
    ...(timeLimitMinutes !== undefined && { timeLimitMinutes }),
  };
}

const FULL: CardCounters = { triesLeft: { sign: 5, auth: 3 }, resets: { sign: 0, auth: 0 } };
const counters = (triesLeft: Partial<CardCounters['triesLeft']> = {}, resets: Partial<CardCounters['resets']> = {}): CardCounters => ({
  triesLeft: { ...FULL.triesLeft, ...triesLeft },
  resets: { ...FULL.resets, ...resets },
});

/** Record events, `min` minutes after the start: [minute, type, screen, outcome?]. */
type Line = readonly [number, KioskEvent['type'], ScreenId, string?];
const events = (lines: readonly Line[]): KioskEvent[] =>
  lines.map(([min, type, screen, outcome]) => ({ t: T0 + min * MIN, sim: T0 + min * MIN, sessionId: 's1', type, screen, ...(outcome !== undefined && { outcome }) }));

const START: readonly Line[] = [
  [0.1, 'session-start', 'top'],
  [0.2, 'screen', 'admin-menu'],
  [0.3, 'screen', 'card-menu'],
  [0.4, 'screen', 'notice'],
  [0.5, 'screen', 'place-card'],
  [0.6, 'outcome', 'place-card', 'card-placed'],
  [0.7, 'outcome', 'progress', 'card-read'],
  [0.8, 'outcome', 'progress', 'reservation:usable'],
  [0.9, 'screen', 'other-password'],
];
const WRONG_TRY: readonly Line[] = [
  [1.0, 'outcome', 'progress', 'verify:wrong'],
  [1.1, 'screen', 'other-password', 'wrong-password'],
];
const RESET: readonly Line[] = [
  [2.0, 'outcome', 'progress', 'verify:verified'],
  [2.1, 'screen', 'new-password', 'first'],
  [2.2, 'screen', 'new-password', 'confirm'],
  [3.0, 'outcome', 'progress', 'reset:reset'],
  [3.1, 'screen', 'done'],
];
const guidanceAt = (min: number, reason: string): Line => [min, 'screen', 'guidance', reason];
/** An earlier exercise on the same station: before the start, so never counted. */
const EARLIER: readonly Line[] = [
  [-5, 'outcome', 'progress', 'verify:wrong'],
  [-4, 'screen', 'guidance', 'no-reservation:nothing'],
  [-3, 'outcome', 'progress', 'reset:reset'],
];

interface Case {
  readonly name: string;
  readonly success: Success;
  readonly limit?: number;
  readonly lines: readonly Line[];
  readonly before?: CardCounters;
  readonly after?: CardCounters;
  readonly newPasswordVerifies?: boolean | null;
  readonly nowMin?: number;
  readonly ended?: boolean;
  readonly want: Verdict;
}

const SIGN: Success = { reset: 'sign' };
const SIGN_NAMED: Success = { reset: 'sign', newPassword: 'SAKURA2026' };
const UNTOUCHED = (guidance: 'both-passwords-unknown' | 'no-reservation' | 'card-removed'): Success => ({ guidance, cardUntouched: true });

const CASES: readonly Case[] = [
  // Resets
  { name: 'reset done: the card counts one more 署名用 reset', success: SIGN, lines: [...START, ...RESET], after: counters({}, { sign: 1 }), want: { outcome: 'succeeded', reason: 'reset-done', at: T0 + 3 * MIN } },
  { name: 'reset done after a wrong try that left tries', success: SIGN, lines: [...START, ...WRONG_TRY, ...RESET], after: counters({ auth: 3 }, { sign: 1 }), want: { outcome: 'succeeded', reason: 'reset-done', at: T0 + 3 * MIN } },
  { name: 'reset to the password the task named', success: SIGN_NAMED, lines: [...START, ...RESET], after: counters({}, { sign: 1 }), newPasswordVerifies: true, want: { outcome: 'succeeded', reason: 'reset-done', at: T0 + 3 * MIN } },
  { name: 'reset, but not to the password the task named', success: SIGN_NAMED, lines: [...START, ...RESET], after: counters({}, { sign: 1 }), newPasswordVerifies: false, want: { outcome: 'failed', reason: 'new-password-differs' } },
  { name: 'the card shows the reset though the screen never got to done (card pulled after the write)', success: SIGN, lines: [...START, [2, 'outcome', 'progress', 'reset:unknown:card-removed'], guidanceAt(2.1, 'card-removed:unknown')], after: counters({}, { sign: 1 }), nowMin: 4, want: { outcome: 'succeeded', reason: 'reset-done', at: T0 + 4 * MIN } },
  { name: 'the other password was reset instead', success: SIGN, lines: [...START, ...RESET], after: counters({}, { auth: 1 }), want: { outcome: 'failed', reason: 'wrong-password-reset' } },
  { name: 'wrong tries locked the password the reset needs', success: SIGN, lines: [...START, ...WRONG_TRY, ...WRONG_TRY, ...WRONG_TRY, guidanceAt(1.5, 'other-password-locked:nothing')], after: counters({ auth: 0 }), want: { outcome: 'failed', reason: 'other-password-locked' } },
  { name: 'a card that started with the password locked is not the trainee\u2019s doing', success: SIGN, lines: START, before: counters({ auth: 0 }), after: counters({ auth: 0 }), want: { outcome: 'in-progress', reason: 'not-yet' } },
  { name: 'half way: a wrong try, tries left', success: SIGN, lines: [...START, ...WRONG_TRY], after: counters({ auth: 2 }), want: { outcome: 'in-progress', reason: 'not-yet' } },
  { name: 'reset within the time limit', success: SIGN, limit: 5, lines: [...START, ...RESET], after: counters({}, { sign: 1 }), nowMin: 20, want: { outcome: 'succeeded', reason: 'reset-done', at: T0 + 3 * MIN } },
  { name: 'reset after the time limit', success: SIGN, limit: 2, lines: [...START, ...RESET], after: counters({}, { sign: 1 }), want: { outcome: 'failed', reason: 'time-up' } },
  { name: 'time limit passed, nothing done', success: SIGN, limit: 2, lines: START, nowMin: 2.5, want: { outcome: 'failed', reason: 'time-up' } },
  { name: 'ended before the reset', success: SIGN, lines: START, ended: true, want: { outcome: 'failed', reason: 'ended' } },
  { name: 'an earlier exercise\u2019s reset on this station does not count', success: SIGN, lines: [...EARLIER, ...START], want: { outcome: 'in-progress', reason: 'not-yet' } },

  // Guidance
  { name: '「わからない場合」 reached the counter guidance without a try', success: UNTOUCHED('both-passwords-unknown'), lines: [...START, [1, 'intent', 'other-password'], guidanceAt(1.1, 'both-passwords-unknown:nothing')], want: { outcome: 'succeeded', reason: 'guidance-reached', at: T0 + 1.1 * MIN } },
  { name: 'guessed a password first: the card was touched', success: UNTOUCHED('both-passwords-unknown'), lines: [...START, ...WRONG_TRY, guidanceAt(1.5, 'both-passwords-unknown:nothing')], after: counters({ auth: 2 }), want: { outcome: 'failed', reason: 'card-touched' } },
  { name: 'a try recorded, even one the card did not count, is a touch', success: UNTOUCHED('both-passwords-unknown'), lines: [...START, [1, 'outcome', 'progress', 'verify:card-removed']], want: { outcome: 'failed', reason: 'card-touched' } },
  { name: 'guidance reached, touching allowed', success: { guidance: 'card-removed' }, lines: [...START, ...WRONG_TRY, guidanceAt(1.5, 'card-removed:nothing')], after: counters({ auth: 2 }), want: { outcome: 'succeeded', reason: 'guidance-reached', at: T0 + 1.5 * MIN } },
  { name: 'the guidance is matched by reason, whatever it says of the card', success: { guidance: 'reset-already-done' }, lines: [...START, guidanceAt(1, 'reset-already-done:reset-completed')], before: counters({}, { sign: 1 }), after: counters({}, { sign: 1 }), want: { outcome: 'succeeded', reason: 'guidance-reached', at: T0 + MIN } },
  { name: 'another guidance reached: may start again', success: UNTOUCHED('no-reservation'), lines: [...START.slice(0, 5), guidanceAt(0.6, 'chain-does-not-offer')], want: { outcome: 'in-progress', reason: 'other-guidance-reached', guidance: 'chain-does-not-offer' } },
  { name: 'then the right one', success: UNTOUCHED('no-reservation'), lines: [...START.slice(0, 5), guidanceAt(0.6, 'chain-does-not-offer'), guidanceAt(1.6, 'no-reservation:nothing')], want: { outcome: 'succeeded', reason: 'guidance-reached', at: T0 + 1.6 * MIN } },
  { name: 'a guidance exercise in which the card got reset', success: { guidance: 'card-removed' }, lines: [...START, ...RESET], after: counters({}, { sign: 1 }), want: { outcome: 'failed', reason: 'card-reset' } },
  { name: 'guidance reached after the time limit', success: UNTOUCHED('no-reservation'), limit: 1, lines: [...START, guidanceAt(1.5, 'no-reservation:nothing')], want: { outcome: 'failed', reason: 'time-up' } },
  { name: 'an earlier exercise\u2019s guidance does not count', success: UNTOUCHED('no-reservation'), lines: EARLIER, nowMin: 1, want: { outcome: 'in-progress', reason: 'not-yet' } },
  { name: 'nothing yet', success: UNTOUCHED('no-reservation'), lines: [], want: { outcome: 'in-progress', reason: 'not-yet' } },
];

describe('judgeScenario', () => {
  it.each(CASES)('$name', (c) => {
    const lines = c.lines;
    const last = lines.length > 0 ? Math.max(...lines.map((l) => l[0])) : 0;
    const o: ScenarioObservation = {
      startedAt: T0,
      now: T0 + (c.nowMin ?? last) * MIN,
      events: events(lines),
      cardAtStart: c.before ?? FULL,
      cardNow: c.after ?? c.before ?? FULL,
      newPasswordVerifies: c.newPasswordVerifies ?? null,
      ...(c.ended !== undefined && { ended: c.ended }),
    };
    expect(judgeScenario(scenario(c.success, c.limit), o)).toEqual(c.want);
  });

  it('reads the JSONL record the station writes', () => {
    const written = events([...START, [1, 'intent', 'other-password'], guidanceAt(1.1, 'both-passwords-unknown:nothing')]);
    const text = written.map(recordLine).join('') + 'not json\n\n{"t":"x"}\n';
    const back = parseRecordLines(text);
    expect(back).toEqual(written);
    const verdict = judgeScenario(scenario(UNTOUCHED('both-passwords-unknown')), { startedAt: T0, now: T0 + 2 * MIN, events: back, cardAtStart: FULL, cardNow: FULL, newPasswordVerifies: null });
    expect(verdict.outcome).toBe('succeeded');
  });
});
