/**
 * The console's rules over a class view, pure so each is unit-tested: which stations changed since
 * the last poll (an unchanged station keeps its very object, so its tile is not drawn again), how
 * long an exercise has run by the console's clock, the cards a selection can be given, the clock
 * offset a picked time means, and the CSV a spreadsheet opens in Japanese.
 */
import type { ClassView, StationView } from '@contract/console';
import type { Snapshot } from '@contract/kiosk';
import { fromJstInput, toJstInput } from '../trainer/clock';

/** Same screen: same sequence number, session and screen, and the same station part (pause, task). */
export function sameSnapshot(a: Snapshot | null, b: Snapshot | null): boolean {
  if (a === null || b === null) return a === b;
  return a.seq === b.seq && a.sessionId === b.sessionId && a.screen.id === b.screen.id && JSON.stringify(a.station) === JSON.stringify(b.station);
}

function sameExceptSnapshot(a: StationView, b: StationView): boolean {
  const { snapshot: _a, ...restA } = a;
  const { snapshot: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}

/**
 * `next`, with every station (and snapshot) that did not change since `prev` replaced by the object
 * `prev` had: the grid's tiles receive the same props and skip their render.
 */
export function mergeClassView(prev: ClassView | null, next: ClassView): ClassView {
  if (prev === null) return next;
  const before = new Map(prev.stations.map((s) => [s.n, s]));
  const stations = next.stations.map((s) => {
    const p = before.get(s.n);
    if (p === undefined) return s;
    const snapshot = sameSnapshot(p.snapshot, s.snapshot) ? p.snapshot : s.snapshot;
    if (snapshot === p.snapshot && sameExceptSnapshot(p, s)) return p;
    return snapshot === s.snapshot ? s : { ...s, snapshot };
  });
  const scenarios = JSON.stringify(prev.scenarios) === JSON.stringify(next.scenarios) ? prev.scenarios : next.scenarios;
  return { now: next.now, stations, scenarios };
}

/** The host's clock at local time `localNow`, from a view received at local time `receivedAt`. */
export function hostNow(viewNow: number, receivedAt: number, localNow: number): number {
  return viewNow + Math.max(0, localNow - receivedAt);
}

/** How long the station's exercise has run (until it ended) by the host's clock `now`. */
export function elapsedMs(station: Pick<StationView, 'startedAt' | 'endedAt'>, now: number): number {
  return Math.max(0, (station.endedAt ?? now) - station.startedAt);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "4:07", "1:02:09". */
export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** The cards any of the selected stations holds, sorted: what "place a card" can offer them. */
export function cardsOfSelection(stations: readonly StationView[], selected: ReadonlySet<number>): string[] {
  const names = new Set<string>();
  for (const s of stations) if (selected.has(s.n)) for (const c of s.cards) names.add(c);
  return [...names].sort();
}

/** Whether an exercise is over (judged, or ended by the trainer). */
export function finished(station: Pick<StationView, 'outcome' | 'endedAt'>): boolean {
  return station.endedAt !== null || station.outcome === 'succeeded' || station.outcome === 'failed' || station.outcome === 'ended';
}

/** The contract's bound on a clock offset: ten years either way. */
const MAX_OFFSET_MS = 10 * 365 * 86_400_000;

/**
 * The offset from real time that makes the stations' clocks read the picked Japan time
 * (a datetime-local value, "2026-11-25T22:59") now; null for no time or one out of range.
 */
export function clockOffsetFor(picked: string, hostNowMs: number): number | null {
  const at = fromJstInput(picked);
  if (at === null) return null;
  const offset = Math.round(at - hostNowMs);
  return Math.abs(offset) > MAX_OFFSET_MS ? null : offset;
}

/** The CSV as a spreadsheet should open it: UTF-8 with a byte order mark, or Excel reads Japanese as Shift_JIS. */
export function csvForSpreadsheets(csv: string): string {
  return csv.startsWith('\uFEFF') ? csv : `\uFEFF${csv}`;
}

/** A datetime-local value for Japan time `at` ("2026-11-25T22:59"). */
export function pickerValue(at: number): string {
  return toJstInput(at).replaceAll('/', '-').replace(' ', 'T');
}
