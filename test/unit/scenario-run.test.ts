/**
 * Every built-in scenario, end to end without PC/SC: set up on a real card folder and center, a
 * trainee plays it on the real kiosk core by touch (intents) and by placing or taking the card, and
 * the judge — reading only the session record and the card afterwards — says it succeeded. Then the
 * mistakes a trainer wants caught: guessing a password, choosing another new password than the
 * task said, wrong tries that lock the card.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Intent, Snapshot } from '../../electron/contract/kiosk';
import { observeCard } from '../../electron/classroom/card-observation';
import { BUILT_IN_SCENARIO_DIR, loadScenarios, type Scenario } from '../../electron/classroom/scenario';
import { judgeScenario, type Verdict } from '../../electron/classroom/scenario-judge';
import { setUpScenario } from '../../electron/classroom/scenario-setup';
import { otherPassword, type ResetKind } from '../../electron/domain/passwords';
import { FileResetJournal } from '../../electron/kiosk/journal';
import { MemoryEventRecord } from '../../electron/kiosk/record';
import { KioskCore } from '../../electron/kiosk/session';
import { PERSONAS } from '../../native/card/personas';
import { FakeScheduler } from '../fakes/kiosk';
import { openClassroom, type Classroom } from './classroom-fixture';

const SCENARIOS = loadScenarios(BUILT_IN_SCENARIO_DIR).map((l) => l.scenario);

const kindOf = (s: Scenario): ResetKind => {
  const r = s.reservation;
  if (r !== undefined && 'kind' in r) return r.kind;
  return 'reset' in s.success ? s.success.reset : 'sign';
};

/** A new password of the right form, for tasks that let the trainee choose. */
const CHOSEN: Readonly<Record<ResetKind, string>> = { sign: 'KIOSK2026', auth: '9753' };

interface Play {
  /** Type this instead of the persona's real other password (once), before the right one. */
  readonly wrongFirst?: readonly string[];
  /** Guess a password instead of 「わからない場合」. */
  readonly guess?: string;
  /** Choose this new password instead of the task's. */
  readonly newPassword?: string;
}

let room: Classroom;
beforeAll(async () => {
  room = await openClassroom();
});
afterAll(async () => {
  await room?.close();
});

/** Sets `s` up, plays it as `play` says on a fresh kiosk core, and judges what the station saw. */
async function playScenario(s: Scenario, play: Play = {}): Promise<{ verdict: Verdict; last: Snapshot }> {
  const setup = await setUpScenario(s, room.target);
  const file = room.cards.file(setup.cardName);
  const record = new MemoryEventRecord();
  const core = new KioskCore({
    reader: room.reader,
    center: room.kioskCenter,
    journal: new FileResetJournal(path.join(room.dir, `journal-${s.id}-${Date.now()}.jsonl`)),
    events: record,
    settings: room.settings,
    scheduler: new FakeScheduler(),
  });
  await core.start();
  const screen = () => core.snapshot().screen;
  const waitFor = async (ok: (sn: Snapshot['screen']) => boolean, what: string) => {
    for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 5))) if (ok(screen())) return;
    throw new Error(`waited for ${what}; the screen is ${JSON.stringify(screen())}`);
  };
  const send = async (intent: Intent, then: string) => {
    const r = core.send(intent);
    expect(r, `${intent.type} on ${screen().id}`).toEqual({ accepted: true });
    await waitFor((sn) => sn.id === then || sn.id === 'guidance', then);
  };
  const goal = s.success;
  const kind = kindOf(s);
  try {
    await send({ type: 'choose-service', service: 'admin' }, 'admin-menu');
    await send({ type: 'choose-admin-item', item: 'my-number-card' }, 'card-menu');
    if (screen().id === 'card-menu') {
      await send({ type: 'choose-card-option', option: 'guidance' in goal && goal.guidance === 'counter-only-pin' ? 'reset-text' : `reset-${kind}` }, 'notice');
    }
    if (screen().id === 'notice') await send({ type: 'agree' }, 'place-card');
    if (screen().id === 'place-card') {
      await room.reader.place(file);
      await waitFor((sn) => sn.id === 'other-password' || sn.id === 'guidance', 'the password screen');
    }
    if (screen().id === 'other-password') {
      if ('guidance' in goal && goal.guidance === 'card-removed') {
        room.reader.remove();
      } else if ('guidance' in goal && goal.guidance === 'both-passwords-unknown' && play.guess === undefined) {
        await send({ type: 'dont-know-other-password' }, 'guidance');
      } else {
        const other = otherPassword(kind);
        const real = PERSONAS[s.persona].pins[other];
        for (const wrong of [...(play.wrongFirst ?? []), ...(play.guess !== undefined ? [play.guess] : [])]) {
          await send({ type: 'submit-other-password', value: wrong }, 'progress');
          await waitFor((sn) => (sn.id === 'other-password' && sn.problem === 'wrong-password') || sn.id === 'guidance', 'the wrong-password notice');
          if (screen().id === 'guidance') break;
        }
        if (screen().id === 'other-password' && 'guidance' in goal && goal.guidance === 'both-passwords-unknown') {
          // Guessed, then gave up as the screen offers.
          await send({ type: 'dont-know-other-password' }, 'guidance');
        } else if (screen().id === 'other-password' && typeof real === 'string') {
          await send({ type: 'submit-other-password', value: real }, 'new-password');
          const value = play.newPassword ?? ('reset' in goal ? goal.newPassword : undefined) ?? CHOSEN[kind];
          await send({ type: 'submit-new-password', value }, 'new-password');
          await send({ type: 'submit-new-password', value }, 'done');
        }
      }
    }
    await waitFor((sn) => sn.id === 'done' || sn.id === 'guidance', 'the end of the session');
    const last = core.snapshot();
    const card = await observeCard(file, goal);
    const verdict = judgeScenario(s, { startedAt: setup.startedAt, now: Date.now(), events: record.events, cardAtStart: setup.cardAtStart, ...card });
    // The record the judge read holds no password the trainee typed.
    const typed = [PERSONAS[s.persona].pins.auth, PERSONAS[s.persona].pins.sign, play.guess, play.newPassword, CHOSEN.sign].filter((v): v is string => typeof v === 'string');
    for (const v of typed) expect(JSON.stringify(record.events)).not.toContain(v);
    return { verdict, last };
  } finally {
    core.stop();
    room.reader.remove();
  }
}

describe('each built-in scenario, played as its task says, is judged a success', () => {
  it.each(SCENARIOS.map((s) => [s.id, s] as const))('%s', async (_id, s) => {
    const { verdict, last } = await playScenario(s);
    if ('guidance' in s.success) expect(last.screen).toMatchObject({ id: 'guidance', reason: s.success.guidance });
    else expect(last.screen).toMatchObject({ id: 'done', kind: s.success.reset });
    expect(verdict).toMatchObject({ outcome: 'succeeded', reason: 'reset' in s.success ? 'reset-done' : 'guidance-reached' });
  }, 60_000);
});

describe('mistakes the judge catches', () => {
  const byId = (id: string) => SCENARIOS.find((s) => s.id === id)!;

  it('guessing a password when neither is known: the card was touched', async () => {
    const { verdict, last } = await playScenario(byId('both-passwords-unknown'), { guess: '0000' });
    // The screen is the one the exercise wanted, but a try was spent on the card on the way.
    expect(last.screen).toMatchObject({ id: 'guidance', reason: 'both-passwords-unknown' });
    expect(verdict).toEqual({ outcome: 'failed', reason: 'card-touched' });
  }, 60_000);

  it('choosing another new password than the task said', async () => {
    const { verdict, last } = await playScenario(byId('sign-reset'), { newPassword: 'OTHER2026' });
    expect(last.screen.id).toBe('done');
    expect(verdict).toEqual({ outcome: 'failed', reason: 'new-password-differs' });
  }, 60_000);

  it('one more wrong try with one try left locks the PIN: failed', async () => {
    const { verdict, last } = await playScenario(byId('sign-reset-one-try-left'), { wrongFirst: ['9999'] });
    expect(last.screen).toMatchObject({ id: 'guidance', reason: 'other-password-locked' });
    expect(verdict).toEqual({ outcome: 'failed', reason: 'other-password-locked' });
  }, 60_000);

  it('a wrong try with tries to spare is no failure', async () => {
    const { verdict } = await playScenario(byId('sign-reset'), { wrongFirst: ['9999'] });
    expect(verdict).toMatchObject({ outcome: 'succeeded', reason: 'reset-done' });
  }, 60_000);
});
