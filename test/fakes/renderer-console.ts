/**
 * A fake classroom for the console page: window.kiosk.console answering a class of four stations,
 * recording every action the page asks for and applying it to the class the way a trainer would see
 * it (paused, a scenario, a card on the reader, back to the top…). The stations' real behaviour is
 * the backend's (electron/classroom, tested there); here the question is only "does this class show
 * the right tiles, and does this click ask for the right action". Test-only.
 */
import type { ConsoleApi } from '../../electron/contract/api';
import type { ClassView, ConsoleAction, ConsoleProblem, ConsoleResult, StationView } from '../../electron/contract/console';
import type { Screen, Snapshot } from '../../electron/contract/kiosk';
import { FakeKioskApi, snapshotOf, TOP_SCREEN } from './renderer-kiosk';

/** The host's clock in the fake class: 2026-11-25 10:00 Japan time. */
export const CLASS_NOW = Date.UTC(2026, 10, 25, 1, 0);

export const PIN_ENTRY: Screen = {
  id: 'other-password',
  kind: 'sign',
  password: 'auth',
  inputMode: 'numeric',
  minLength: 4,
  maxLength: 4,
  triesLeft: 2,
  maxTries: 3,
  problem: 'wrong-password',
};

export const SCENARIOS = [
  { id: 'sign-basic', title: { ja: '署名用パスワードの再設定', en: 'Reset the signature password' } },
  { id: 'auth-locked', title: { ja: '暗証番号がロックされたカード', en: 'A card with a locked PIN' } },
];

function station(n: number, snapshot: Snapshot | null, rest: Partial<Omit<StationView, 'n' | 'snapshot'>> = {}): StationView {
  return {
    n,
    snapshot: snapshot === null ? null : { ...snapshot, seq: 10 + n, station: { n, paused: rest.paused ?? false, task: null } },
    scenario: null,
    outcome: 'free',
    reason: null,
    startedAt: CLASS_NOW - 65_000,
    endedAt: null,
    wrongTries: 0,
    helpTaps: 0,
    paused: false,
    cards: ['adult'],
    join: null,
    placed: null,
    ...rest,
  };
}

/**
 * Four stations: 1 at the top menu (free practice); 2 typing the PIN after a wrong try, a card on its
 * reader; 3 refused (guidance), in English, judged failed; 4 done, judged succeeded.
 */
export function classOfFour(): ClassView {
  return {
    now: CLASS_NOW,
    scenarios: SCENARIOS,
    stations: [
      station(1, snapshotOf(TOP_SCREEN), { join: { code: 'K7M2QX', url: 'http://192.168.1.20:5177/s/1/?code=K7M2QX' } }),
      station(2, snapshotOf(PIN_ENTRY, { journey: 'verify' }), {
        scenario: SCENARIOS[0]!,
        outcome: 'in-progress',
        startedAt: CLASS_NOW - 3_725_000,
        wrongTries: 2,
        helpTaps: 1,
        cards: ['adult', 'sign-locked'],
        placed: 'adult',
        join: { code: 'RT8WZP', url: 'http://192.168.1.20:5177/s/2/?code=RT8WZP' },
      }),
      station(
        3,
        snapshotOf(
          { id: 'guidance', reason: 'both-passwords-unknown', next: 'municipal-counter-with-id', kind: 'auth', changed: 'nothing', opensAt: null, chains: [] },
          { language: 'en' },
        ),
        { scenario: SCENARIOS[1]!, outcome: 'failed', reason: 'guidance:counter', endedAt: CLASS_NOW - 5_000, wrongTries: 3, cards: ['auth-locked', 'expired'] },
      ),
      station(4, snapshotOf({ id: 'done', kind: 'sign' }), { scenario: SCENARIOS[0]!, outcome: 'succeeded', endedAt: CLASS_NOW - 20_000, startedAt: CLASS_NOW - 200_000 }),
    ],
  };
}

export class FakeConsoleApi implements ConsoleApi {
  /** Every action the page asked for, in order. */
  readonly acts: { readonly stations: readonly number[]; readonly action: ConsoleAction }[] = [];
  /** How many times the page asked for the class. */
  gets = 0;
  csvCalls = 0;
  view: ClassView;
  /** The next action fails on these stations (the others take it). */
  failNext: { readonly problem: ConsoleProblem; readonly stations: readonly number[] } | null = null;
  /** Every call answers with this transport error code (a page without the console's audience). */
  refuse: 'NOT_ALLOWED' | 'UNSUPPORTED' | null = null;
  /** The host's clock, as each answer's `now`. */
  clock: () => number = () => CLASS_NOW;
  csv = 'station,scenario,outcome,reason,elapsed_seconds,wrong_tries,help_taps\r\n1,,free,,65,0,0\r\n2,sign-basic,in-progress,,3725,2,1\r\n';

  constructor(view: ClassView = classOfFour()) {
    this.view = view;
  }

  #refusal(): void {
    if (this.refuse !== null) throw Object.assign(new Error('refused'), { code: this.refuse });
  }

  async getClass(): Promise<ClassView> {
    this.gets++;
    this.#refusal();
    // A fresh copy, as every answer parsed off the socket is.
    return structuredClone({ ...this.view, now: this.clock() });
  }

  async act(stations: readonly number[], action: ConsoleAction): Promise<ConsoleResult> {
    this.#refusal();
    this.acts.push({ stations: [...stations], action });
    const failed = new Set(this.failNext?.stations ?? []);
    const problem = this.failNext?.problem;
    this.failNext = null;
    this.view = {
      ...this.view,
      stations: this.view.stations.map((s) => (stations.includes(s.n) && !failed.has(s.n) ? this.#apply(s, action) : s)),
    };
    const view = structuredClone({ ...this.view, now: this.clock() });
    return problem === undefined ? { ok: true, view } : { ok: false, problem, stations: [...failed], view };
  }

  async summaryCsv(): Promise<string> {
    this.csvCalls++;
    this.#refusal();
    return this.csv;
  }

  /** Station `n` now shows `screen` (a new snapshot, as its core would push). */
  show(n: number, screen: Screen, overrides: Partial<Omit<Snapshot, 'screen'>> = {}): void {
    this.view = {
      ...this.view,
      stations: this.view.stations.map((s) =>
        s.n === n ? { ...s, snapshot: { ...snapshotOf(screen, overrides), seq: (s.snapshot?.seq ?? 0) + 1, station: s.snapshot?.station ?? { n, paused: s.paused, task: null } } } : s,
      ),
    };
  }

  #apply(s: StationView, action: ConsoleAction): StationView {
    const withStation = (snapshot: Snapshot | null, part: Partial<NonNullable<Snapshot['station']>>): Snapshot | null =>
      snapshot === null ? null : { ...snapshot, station: { n: s.n, paused: s.paused, task: null, ...snapshot.station, ...part } };
    switch (action.type) {
      case 'pause':
      case 'resume': {
        const paused = action.type === 'pause';
        return { ...s, paused, snapshot: withStation(s.snapshot, { paused }) };
      }
      case 'assign-scenario': {
        const scenario = this.view.scenarios.find((c) => c.id === action.scenario) ?? null;
        return {
          ...s,
          scenario,
          outcome: 'in-progress',
          startedAt: this.view.now,
          endedAt: null,
          wrongTries: 0,
          helpTaps: 0,
          snapshot: withStation(s.snapshot === null ? null : { ...snapshotOf(TOP_SCREEN), seq: s.snapshot.seq + 1 }, { task: scenario?.title ?? null }),
        };
      }
      case 'place-card':
        return { ...s, placed: action.name };
      case 'remove-card':
        return { ...s, placed: null };
      case 'reset':
        return { ...s, snapshot: s.snapshot === null ? null : { ...snapshotOf(TOP_SCREEN), seq: s.snapshot.seq + 1, station: s.snapshot.station } };
      case 'end':
        return { ...s, outcome: s.outcome === 'in-progress' || s.outcome === 'free' ? 'ended' : s.outcome, endedAt: s.endedAt ?? this.view.now };
      case 'set-clock':
        return s;
    }
  }
}

/** A window.kiosk with a classroom's console (what the console page of a classroom host gets). */
export class FakeConsoleKiosk extends FakeKioskApi {
  readonly console: FakeConsoleApi;

  constructor(view?: ClassView) {
    super();
    this.console = new FakeConsoleApi(view);
  }
}
