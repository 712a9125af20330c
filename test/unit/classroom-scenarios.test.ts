/**
 * The console assigns a built-in scenario to a station, the trainee plays it by touch, and the
 * console judges it from the station's own events and card: the task on the station's screen, the
 * outcome, the reason, wrong tries and help taps, and the class CSV. The station's kiosk core is
 * the real one over an in-process reader (PC/SC is covered by test/pcsc/classroom-stations.test.ts).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainerBackend, AppBackend } from '../../electron/contract/backends';
import type { Intent, Snapshot } from '../../electron/contract/kiosk';
import { ClassroomConsole } from '../../electron/classroom/console';
import { BUILT_IN_SCENARIO_DIR, loadScenarios } from '../../electron/classroom/scenario';
import { EXERCISE_CARD, scenarioCatalog } from '../../electron/classroom/scenario-catalog';
import { Station } from '../../electron/classroom/station';
import { FileResetJournal } from '../../electron/kiosk/journal';
import { MemoryEventRecord } from '../../electron/kiosk/record';
import { KioskCore } from '../../electron/kiosk/session';
import { listCardNames } from '../../native/card/card-file';
import { PERSONAS } from '../../native/card/personas';
import { FakeScheduler } from '../fakes/kiosk';
import { openClassroom, type Classroom } from './classroom-fixture';

let room: Classroom;
let station: Station;
let trainer: ClassroomConsole;
let core: KioskCore;

beforeAll(async () => {
  room = await openClassroom();
  const events = new MemoryEventRecord();
  core = new KioskCore({
    reader: room.reader,
    center: room.kioskCenter,
    journal: new FileResetJournal(path.join(room.dir, 'journal.jsonl')),
    events: { record: (e) => (events.record(e), station.noteEvent(e)) },
    settings: room.settings,
    scheduler: new FakeScheduler(),
  });
  await core.start();
  // The station's tray over the fixture's card folder and its in-process reader.
  const tray: TrainerBackend = {
    listCards: async () => ({ available: true, cards: listCardNames(room.cards.dir).map((name) => ({ name, persona: 'adult', holderName: '' })), placed: null }),
    placeCard: async (name) => {
      await room.reader.place(room.cards.file(name));
      return { ok: true, cards: await tray.listCards() };
    },
    removeCard: async () => {
      room.reader.remove();
      return { ok: true, cards: await tray.listCards() };
    },
  };
  const app = {} as AppBackend;
  station = new Station({ n: 1, core, tray, app });
  const scenarios = loadScenarios(BUILT_IN_SCENARIO_DIR).map((l) => l.scenario);
  trainer = new ClassroomConsole({
    stations: [station],
    scenarios: scenarioCatalog(scenarios, {
      cardDir: () => room.cards.dir,
      settings: () => room.settings,
      center: room.center,
      setupKioskToken: room.setupToken,
    }),
  });
});

afterAll(async () => {
  core?.stop();
  await room?.close();
});

async function waitFor(ok: (s: Snapshot) => boolean, what: string): Promise<Snapshot> {
  for (const until = Date.now() + 10_000; Date.now() < until; await new Promise((r) => setTimeout(r, 5))) {
    const s = station.snapshot();
    if (ok(s)) return s;
  }
  throw new Error(`waited for ${what}; the screen is ${JSON.stringify(station.snapshot().screen)}`);
}

function touch(intent: Intent): void {
  expect(station.kiosk.send(intent), intent.type).toEqual({ accepted: true });
}

describe('a scenario from the console', () => {
  it('lists every built-in scenario, and refuses one it does not have', async () => {
    const ids = trainer.view().scenarios.map((s) => s.id);
    expect(ids).toContain('sign-reset');
    expect(ids).toContain('both-passwords-unknown');
    expect(await trainer.act([1], { type: 'assign-scenario', scenario: 'no-such-scenario' })).toMatchObject({ ok: false, problem: 'no-such-scenario', stations: [1] });
  });

  it('sign-reset: the task is on the station’s screen; a reset to the task’s password is judged a success', async () => {
    expect(await trainer.act([1], { type: 'assign-scenario', scenario: 'sign-reset' })).toMatchObject({ ok: true });
    const task = station.snapshot().station?.task;
    expect(task?.ja).toContain('SAKURA2026');
    expect(trainer.view().stations[0]).toMatchObject({ outcome: 'in-progress', scenario: { id: 'sign-reset' }, cards: [EXERCISE_CARD], wrongTries: 0 });

    touch({ type: 'choose-service', service: 'admin' });
    touch({ type: 'choose-admin-item', item: 'my-number-card' });
    touch({ type: 'choose-card-option', option: 'reset-sign' });
    touch({ type: 'agree' });
    await station.tray.placeCard(EXERCISE_CARD);
    await waitFor((s) => s.screen.id === 'other-password', 'the other-password screen');
    touch({ type: 'submit-other-password', value: '9999' });
    await waitFor((s) => s.screen.id === 'other-password' && s.screen.problem === 'wrong-password', 'the wrong-password notice');
    touch({ type: 'submit-other-password', value: PERSONAS.adult.pins.auth as string });
    await waitFor((s) => s.screen.id === 'new-password', 'the new-password screen');
    touch({ type: 'submit-new-password', value: 'SAKURA2026' });
    touch({ type: 'submit-new-password', value: 'SAKURA2026' });
    await waitFor((s) => s.screen.id === 'done', 'the done screen');
    await station.settled();

    const v = trainer.view().stations[0];
    expect(v).toMatchObject({ outcome: 'succeeded', reason: 'reset-done', wrongTries: 1, helpTaps: 0 });
    expect(v?.endedAt).not.toBeNull();
    expect(trainer.summaryCsv()).toMatch(/^station,scenario,outcome,reason,elapsed_seconds,wrong_tries,help_taps\r\n1,sign-reset,succeeded,reset-done,\d+,1,0\r\n$/);
    // PIN-free: neither password appears in what the console exports.
    expect(trainer.summaryCsv()).not.toContain('SAKURA2026');
    touch({ type: 'acknowledge' });
    await station.tray.removeCard();
  });

  it('both-passwords-unknown: 「わからない場合」 without touching the card is the right answer, counted as a help tap', async () => {
    await waitFor((s) => s.screen.id === 'top', 'the top menu');
    expect(await trainer.act([1], { type: 'assign-scenario', scenario: 'both-passwords-unknown' })).toMatchObject({ ok: true });
    expect(trainer.view().stations[0]).toMatchObject({ outcome: 'in-progress', wrongTries: 0, helpTaps: 0, endedAt: null });
    touch({ type: 'choose-service', service: 'admin' });
    touch({ type: 'choose-admin-item', item: 'my-number-card' });
    touch({ type: 'choose-card-option', option: 'reset-sign' });
    touch({ type: 'agree' });
    await station.tray.placeCard(EXERCISE_CARD);
    await waitFor((s) => s.screen.id === 'other-password', 'the other-password screen');
    touch({ type: 'dont-know-other-password' });
    await waitFor((s) => s.screen.id === 'guidance', 'the guidance screen');
    await station.settled();
    expect(trainer.view().stations[0]).toMatchObject({ outcome: 'succeeded', reason: 'guidance-reached', helpTaps: 1, wrongTries: 0 });
  });

  it('ending an exercise before it is judged marks it ended', async () => {
    expect(await trainer.act([1], { type: 'assign-scenario', scenario: 'sign-reset' })).toMatchObject({ ok: true });
    expect(await trainer.act([1], { type: 'end' })).toMatchObject({ ok: true });
    expect(trainer.view().stations[0]).toMatchObject({ outcome: 'ended', scenario: { id: 'sign-reset' } });
  });
});
