/**
 * One kiosk station of a classroom: a full kiosk core on its own PC/SC reader (its own vpcd slot),
 * with its own data directory (settings, reset journal, session record), its own card tray, its own
 * phone, and the exercise the trainer set it. What its page sees is the core's snapshot with the
 * station's part added (number, pause, task); while the trainer pauses it, it takes no touch.
 */
import type { AppBackend, KioskBackend, TrainerBackend } from '../contract/backends';
import type { Bilingual } from '../contract/schema';
import type { Intent, SendResult, Snapshot } from '../contract/kiosk';
import type { SettingsPatch, TrainerResult, VirtualCardsView } from '../contract/trainer';
import type { KioskEvent } from '../kiosk/ports';
import { endExercise, judged, noteEvent, startExercise, type Exercise, type Judgement } from './exercise';

/** What a station needs of its kiosk core (KioskCore has it). */
export interface StationCore extends KioskBackend {
  interrupt(): boolean;
}

export interface StationParts {
  readonly n: number;
  readonly core: StationCore;
  /** The station's card tray (its own cards on its own reader). */
  readonly tray: TrainerBackend;
  /** The station's phone (booking app), on a reader of its own. */
  readonly app: AppBackend;
  readonly now?: () => number;
}

/** A scenario's judge: from the exercise's events (and whatever else it reads, such as the card), a verdict or null while it cannot tell. */
export type Judge = (events: readonly KioskEvent[]) => Judgement | null | Promise<Judgement | null>;

export class Station {
  readonly n: number;
  readonly core: StationCore;
  /** The station's tray as its page and the console use it: what it answers also updates `trayView`. */
  readonly tray: TrainerBackend;
  readonly app: AppBackend;
  #trayView: { readonly cards: string[]; readonly placed: string | null } = { cards: [], placed: null };
  #paused = false;
  #task: Bilingual | null = null;
  #judge: Judge | undefined;
  #judging: Promise<void> = Promise.resolve();
  #seq = 0;
  #exercise: Exercise;
  #listeners = new Set<(s: Snapshot) => void>();
  #changeListeners = new Set<() => void>();
  readonly #now: () => number;
  /** The kiosk's citizen API as the station's page gets it: snapshots with the station's part, no touch while paused. */
  readonly kiosk: KioskBackend;

  constructor(parts: StationParts) {
    this.n = parts.n;
    this.core = parts.core;
    const tray = parts.tray;
    const noted = async (r: Promise<TrainerResult>) => {
      const result = await r;
      if (result.ok) this.#noteTray(result.cards);
      return result;
    };
    this.tray = {
      listCards: async () => {
        const view = await tray.listCards();
        this.#noteTray(view);
        return view;
      },
      placeCard: (name: string) => noted(tray.placeCard(name)),
      removeCard: () => noted(tray.removeCard()),
    };
    this.app = parts.app;
    this.#now = parts.now ?? Date.now;
    this.#exercise = startExercise(this.#now(), null);
    this.core.onSnapshot(() => this.#push());
    this.kiosk = {
      snapshot: () => this.snapshot(),
      send: (intent: Intent): SendResult => (this.#paused ? { accepted: false, reason: 'not-now' } : this.core.send(intent)),
      getSettings: () => this.core.getSettings(),
      updateSettings: (patch: SettingsPatch) => this.core.updateSettings(patch),
      onSnapshot: (listener) => {
        this.#listeners.add(listener);
        return () => this.#listeners.delete(listener);
      },
    };
  }

  /**
   * The core's snapshot with the station's part. Numbered by the station, not the core: a pause or
   * a new task is a new snapshot though the core's did not change, and a page drops a number it saw.
   */
  snapshot(): Snapshot {
    return { ...this.core.snapshot(), seq: this.#seq, station: { n: this.n, paused: this.#paused, task: this.#task } };
  }

  /** The station's cards and the one on its reader, as last seen (the console's grid reads it). */
  trayView(): { readonly cards: string[]; readonly placed: string | null } {
    return this.#trayView;
  }

  #noteTray(view: VirtualCardsView): void {
    const next = { cards: view.cards.map((c) => c.name), placed: view.placed };
    if (JSON.stringify(next) === JSON.stringify(this.#trayView)) return;
    this.#trayView = next;
    this.#changed();
  }

  get paused(): boolean {
    return this.#paused;
  }

  get exercise(): Exercise {
    return this.#exercise;
  }

  /** Told when anything the console shows changes (a snapshot, the exercise, the pause). */
  onChange(listener: () => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /** Every session event of this station's core (runtime.ts `onEvent`). */
  noteEvent(e: KioskEvent): void {
    const before = this.#exercise;
    this.#exercise = noteEvent(before, e);
    if (this.#exercise === before) return;
    this.#changed();
    this.#judgeLater(this.#exercise);
  }

  /** Judges `x` once the judgings before it are done (one at a time, in order); a stale verdict is dropped. */
  #judgeLater(x: Exercise): void {
    const judge = this.#judge;
    if (judge === undefined || x.scenarioId === null) return;
    this.#judging = this.#judging
      .then(() => judge(x.events))
      .then((verdict) => {
        const now = this.#exercise;
        if (verdict === null || now.startedAt !== x.startedAt || now.scenarioId !== x.scenarioId) return;
        this.#exercise = judged(now, verdict, Math.max(now.startedAt, (x.events.at(-1)?.t ?? this.#now())));
        if (this.#exercise !== now) this.#changed();
      })
      .catch(() => undefined);
  }

  /** Resolves when every event so far has been judged (tests, and a console that ends an exercise). */
  settled(): Promise<void> {
    return this.#judging;
  }

  setPaused(paused: boolean): void {
    if (this.#paused === paused) return;
    this.#paused = paused;
    this.#push();
  }

  /** A new exercise: the scenario's task on screen (or none: free practice), counters from zero. */
  beginExercise(scenario: { readonly id: string; readonly task: Bilingual; readonly judge: Judge } | null): void {
    this.#task = scenario?.task ?? null;
    this.#judge = scenario?.judge;
    this.#exercise = startExercise(this.#now(), scenario?.id ?? null);
    this.#push();
  }

  endExercise(): void {
    this.#exercise = endExercise(this.#exercise, this.#now());
    this.#changed();
  }

  /** Back to the top screen (the session ends as a timeout ends it). */
  backToTop(): void {
    this.core.interrupt();
  }

  #push(): void {
    this.#seq++;
    if (this.#listeners.size > 0) {
      const s = this.snapshot();
      for (const l of this.#listeners) l(s);
    }
    this.#changed();
  }

  #changed(): void {
    for (const l of this.#changeListeners) l();
  }
}
