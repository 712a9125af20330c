/**
 * The trainer's console over a classroom's stations: the class as the console's grid shows it, the
 * actions on a selection of stations, and the class summary as CSV. The scenarios come from a
 * catalog (classroom/scenarios: data files); setting one up on a station is the catalog's work.
 */
import type { ConsoleBackend } from '../contract/backends';
import type { ClassView, ConsoleAction, ConsoleProblem, ConsoleResult, ScenarioSummary, StationView } from '../contract/console';
import type { Bilingual } from '../contract/schema';
import { elapsedMs } from './exercise';
import type { Judge, Station } from './station';

/** The scenarios a classroom offers, and how one is set up on a station. */
export interface ScenarioCatalog {
  list(): readonly ScenarioSummary[];
  /**
   * Sets the scenario up on the station (its cards, its reservation at the center, its clock and
   * language) and answers what the station shows and how the exercise is judged; null for an
   * unknown id. Throws when the set-up failed.
   */
  prepare(station: Station, id: string): Promise<{ readonly task: Bilingual; readonly judge: Judge } | null>;
}

export const NO_SCENARIOS: ScenarioCatalog = { list: () => [], prepare: async () => null };

export interface ClassroomConsoleOptions {
  readonly stations: readonly Station[];
  readonly scenarios?: ScenarioCatalog;
  readonly now?: () => number;
}

export class ClassroomConsole implements ConsoleBackend {
  readonly #stations: ReadonlyMap<number, Station>;
  readonly #scenarios: ScenarioCatalog;
  readonly #now: () => number;
  #join: (n: number) => { readonly code: string; readonly url: string } | null = () => null;

  constructor(opts: ClassroomConsoleOptions) {
    this.#stations = new Map(opts.stations.map((s) => [s.n, s]));
    this.#scenarios = opts.scenarios ?? NO_SCENARIOS;
    this.#now = opts.now ?? Date.now;
  }

  /** How each station is joined (the host knows its addresses once it listens). */
  setJoin(join: (n: number) => { readonly code: string; readonly url: string } | null): void {
    this.#join = join;
  }

  view(): ClassView {
    return { now: this.#now(), stations: [...this.#stations.values()].map((s) => this.#stationView(s)), scenarios: [...this.#scenarios.list()] };
  }

  async act(stations: readonly number[], action: ConsoleAction): Promise<ConsoleResult> {
    const unknown = stations.filter((n) => !this.#stations.has(n));
    if (unknown.length > 0) return { ok: false, problem: 'no-such-station', stations: unknown, view: this.view() };
    const failed: { n: number; problem: ConsoleProblem }[] = [];
    // One station after the other: a card daemon or a scenario set-up each takes pcscd's attention.
    for (const n of new Set(stations)) {
      const problem = await this.#actOn(this.#stations.get(n) as Station, action).catch((): ConsoleProblem => 'failed');
      if (problem !== null) failed.push({ n, problem });
    }
    if (failed.length === 0) return { ok: true, view: this.view() };
    return { ok: false, problem: (failed[0] as { problem: ConsoleProblem }).problem, stations: failed.map((f) => f.n), view: this.view() };
  }

  summaryCsv(): string {
    const now = this.#now();
    const rows = [['station', 'scenario', 'outcome', 'reason', 'elapsed_seconds', 'wrong_tries', 'help_taps']];
    for (const s of this.#stations.values()) {
      const x = s.exercise;
      rows.push([String(s.n), x.scenarioId ?? '', x.outcome, x.reason ?? '', String(Math.round(elapsedMs(x, now) / 1000)), String(x.wrongTries), String(x.helpTaps)]);
    }
    return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
  }

  async #actOn(station: Station, action: ConsoleAction): Promise<ConsoleProblem | null> {
    switch (action.type) {
      case 'assign-scenario': {
        const prepared = await this.#scenarios.prepare(station, action.scenario);
        if (prepared === null) return 'no-such-scenario';
        station.backToTop();
        station.beginExercise({ id: action.scenario, task: prepared.task, judge: prepared.judge });
        return null;
      }
      case 'place-card': {
        const r = await station.tray.placeCard(action.name);
        return r.ok ? null : r.problem === 'no-such-card' ? 'no-such-card' : 'failed';
      }
      case 'remove-card': {
        const r = await station.tray.removeCard();
        return r.ok ? null : 'failed';
      }
      case 'set-clock': {
        const r = station.core.updateSettings({ clock: action.offsetMs === 0 ? { mode: 'system' } : { mode: 'offset', offsetMs: action.offsetMs } });
        return r.ok ? null : 'failed';
      }
      case 'reset':
        station.backToTop();
        return null;
      case 'pause':
        station.setPaused(true);
        return null;
      case 'resume':
        station.setPaused(false);
        return null;
      case 'end':
        station.endExercise();
        return null;
    }
  }

  #stationView(s: Station): StationView {
    const x = s.exercise;
    const tray = s.trayView();
    const scenario = x.scenarioId === null ? null : (this.#scenarios.list().find((c) => c.id === x.scenarioId) ?? { id: x.scenarioId, title: { ja: x.scenarioId, en: x.scenarioId } });
    return {
      n: s.n,
      snapshot: s.snapshot(),
      scenario,
      outcome: x.outcome,
      reason: x.reason,
      startedAt: x.startedAt,
      endedAt: x.endedAt,
      wrongTries: x.wrongTries,
      helpTaps: x.helpTaps,
      paused: s.paused,
      cards: tray.cards,
      placed: tray.placed,
      join: this.#join(s.n),
    };
  }
}

/** RFC 4180: quoted when it holds a comma, a quote or a line break; a leading =+-@ is neutralised for spreadsheets. */
export function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
