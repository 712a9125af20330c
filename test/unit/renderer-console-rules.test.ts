/**
 * The console page's pure rules: which stations changed between two polls (an unchanged one keeps
 * its object, so its tile is not drawn again), elapsed times by the host's clock, the cards a
 * selection can be given, the clock offset a picked Japan time means, the CSV for spreadsheets, the
 * trainer's token leaving the address bar, which page an address is, and words for every code the
 * console shows.
 */
import { describe, expect, it } from 'vitest';
import { cardsOfSelection, clockOffsetFor, csvForSpreadsheets, elapsedMs, finished, formatElapsed, hostNow, mergeClassView, pickerValue, sameSnapshot } from '../../renderer/src/console/class-view';
import { forgetConsoleToken, judgeLink, LOST_AFTER_CLOSES, takeConsoleToken } from '../../renderer/src/console/connect';
import { MESSAGES } from '../../renderer/src/i18n';
import { pageAt } from '../../renderer/src/route';
import { ConsoleProblemSchema, ExerciseOutcomeSchema, type ClassView } from '../../electron/contract/console';
import { ScreenSchema } from '../../electron/contract/kiosk';
import { CLASS_NOW, classOfFour } from '../fakes/renderer-console';

/** An answer as it comes off the socket: equal content, new objects. */
const fresh = (v: ClassView): ClassView => structuredClone(v);

describe('mergeClassView', () => {
  it('keeps the previous object of every station that did not change', () => {
    const first = classOfFour();
    const second = fresh({ ...first, now: first.now + 220 });
    const merged = mergeClassView(first, second);
    expect(merged.now).toBe(first.now + 220);
    merged.stations.forEach((s, i) => expect(s).toBe(first.stations[i]));
    expect(merged.scenarios).toBe(first.scenarios);
    expect(mergeClassView(null, second)).toBe(second);
  });

  it('takes a station anew when its screen moved on, keeping the snapshot when only its facts changed', () => {
    const first = classOfFour();
    const next = fresh(first);
    next.stations[0] = { ...next.stations[0]!, snapshot: { ...next.stations[0]!.snapshot!, seq: 99 } };
    next.stations[1] = { ...next.stations[1]!, wrongTries: 3 };
    const merged = mergeClassView(first, next);
    expect(merged.stations[0]).toBe(next.stations[0]);
    expect(merged.stations[1]).not.toBe(first.stations[1]);
    expect(merged.stations[1]!.wrongTries).toBe(3);
    // Same screen: the tile's drawing gets the very snapshot it had.
    expect(merged.stations[1]!.snapshot).toBe(first.stations[1]!.snapshot);
    expect(merged.stations[2]).toBe(first.stations[2]);
  });

  it('sees a pause or a new task, which leave the core’s sequence number as it was', () => {
    const first = classOfFour();
    const next = fresh(first);
    const s = next.stations[2]!;
    next.stations[2] = { ...s, paused: true, snapshot: { ...s.snapshot!, station: { n: 3, paused: true, task: null } } };
    const merged = mergeClassView(first, next);
    expect(merged.stations[2]!.snapshot).not.toBe(first.stations[2]!.snapshot);
    expect(merged.stations[2]!.snapshot?.station?.paused).toBe(true);
    expect(sameSnapshot(first.stations[2]!.snapshot, next.stations[2]!.snapshot)).toBe(false);
    expect(sameSnapshot(null, null)).toBe(true);
    expect(sameSnapshot(first.stations[0]!.snapshot, null)).toBe(false);
  });

  it('follows stations that come and go', () => {
    const first = classOfFour();
    const next = fresh({ ...first, stations: first.stations.slice(1) });
    expect(mergeClassView(first, next).stations.map((s) => s.n)).toEqual([2, 3, 4]);
    expect(mergeClassView(first, next).stations[0]).toBe(first.stations[1]);
  });
});

describe('time', () => {
  it('runs the host’s clock on at the local clock’s pace, never backwards', () => {
    expect(hostNow(1_000, 50, 1_050)).toBe(2_000);
    expect(hostNow(1_000, 50, 40)).toBe(1_000);
  });

  it('measures an exercise until it ended, else until now', () => {
    expect(elapsedMs({ startedAt: 1_000, endedAt: null }, 66_000)).toBe(65_000);
    expect(elapsedMs({ startedAt: 1_000, endedAt: 31_000 }, 66_000)).toBe(30_000);
    expect(elapsedMs({ startedAt: 70_000, endedAt: null }, 66_000)).toBe(0);
  });

  it('writes minutes and seconds, hours when it takes them', () => {
    expect(formatElapsed(0)).toBe('0:00');
    expect(formatElapsed(65_999)).toBe('1:05');
    expect(formatElapsed(3_725_000)).toBe('1:02:05');
  });

  it('turns a picked Japan time into the offset from the host’s now', () => {
    // CLASS_NOW is 2026-11-25 10:00 in Japan.
    expect(pickerValue(CLASS_NOW)).toBe('2026-11-25T10:00');
    expect(clockOffsetFor('2026-11-25T22:59', CLASS_NOW)).toBe((12 * 60 + 59) * 60_000);
    expect(clockOffsetFor('2026-11-24T10:00', CLASS_NOW)).toBe(-86_400_000);
    expect(clockOffsetFor('', CLASS_NOW)).toBeNull();
    expect(clockOffsetFor('2026-02-30T10:00', CLASS_NOW)).toBeNull();
    // Beyond the contract's ten years.
    expect(clockOffsetFor('2046-11-25T10:00', CLASS_NOW)).toBeNull();
  });
});

describe('the selection', () => {
  it('offers every card any selected station holds, once, sorted', () => {
    const { stations } = classOfFour();
    expect(cardsOfSelection(stations, new Set([2, 3]))).toEqual(['adult', 'auth-locked', 'expired', 'sign-locked']);
    expect(cardsOfSelection(stations, new Set([1]))).toEqual(['adult']);
    expect(cardsOfSelection(stations, new Set())).toEqual([]);
  });

  it('counts an exercise finished once judged or ended', () => {
    expect(classOfFour().stations.map((s) => finished(s))).toEqual([false, false, true, true]);
    expect(finished({ outcome: 'ended', endedAt: 1 })).toBe(true);
  });
});

describe('the CSV', () => {
  it('starts with one byte order mark', () => {
    expect(csvForSpreadsheets('a,b\r\n')).toBe('\uFEFFa,b\r\n');
    expect(csvForSpreadsheets('\uFEFFa,b\r\n')).toBe('\uFEFFa,b\r\n');
  });
});

describe('the trainer’s token', () => {
  function places(href: string, kept: string | null = null) {
    const u = new URL(href);
    const store = new Map<string, string>(kept === null ? [] : [['kiosk-sim.console-token', kept]]);
    const replaced: string[] = [];
    return {
      replaced,
      store,
      places: {
        location: { pathname: u.pathname, search: u.search, hash: u.hash },
        history: { state: null, replaceState: (_s: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)) },
        storage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) },
      },
    };
  }

  it('leaves the address bar at once and is kept for the tab', () => {
    const p = places('http://127.0.0.1:8080/console/#token=secret-token');
    expect(takeConsoleToken(p.places)).toBe('secret-token');
    expect(p.replaced).toEqual(['/console/']);
    expect([...p.store.values()]).toEqual(['secret-token']);
  });

  it('is read back after a reload, and forgotten when refused', () => {
    const p = places('http://127.0.0.1:8080/console/', 'kept-token');
    expect(takeConsoleToken(p.places)).toBe('kept-token');
    expect(p.replaced).toEqual([]);
    forgetConsoleToken(p.places.storage);
    expect(takeConsoleToken(p.places)).toBeNull();
  });

  it('a new address’s token wins over the kept one', () => {
    const p = places('http://127.0.0.1:8080/console/?x=1#token=new', 'old');
    expect(takeConsoleToken(p.places)).toBe('new');
    expect(p.replaced).toEqual(['/console/?x=1']);
    expect(p.store.get('kiosk-sim.console-token')).toBe('new');
  });

  it('still works where storage refuses', () => {
    const p = places('http://127.0.0.1:8080/console/#token=t');
    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => undefined,
    };
    expect(takeConsoleToken({ ...p.places, storage: refusing })).toBe('t');
    expect(takeConsoleToken({ ...places('http://127.0.0.1:8080/console/').places, storage: refusing })).toBeNull();
  });
});

describe('the console’s socket', () => {
  it('refused before it ever opened: a wrong token, at once', () => {
    expect(judgeLink(0, { state: 'closed', everOpened: false })).toEqual({ closesInARow: 1, stop: 'wrong-token' });
  });

  it('after working, retries a while (a host restarting), then stops short of the host’s failed-join burst', () => {
    let closes = 0;
    const verdicts: (string | null)[] = [];
    for (let i = 0; i < LOST_AFTER_CLOSES; i++) {
      const v = judgeLink(closes, { state: 'closed', everOpened: true });
      closes = v.closesInARow;
      verdicts.push(v.stop);
    }
    expect(verdicts.slice(0, -1).every((v) => v === null)).toBe(true);
    expect(verdicts.at(-1)).toBe('lost');
    // The host allows ten failed joins at once (classroom/host.ts JOIN_ATTEMPTS); the drop itself is no attempt.
    expect(LOST_AFTER_CLOSES - 1).toBeLessThanOrEqual(10);
  });

  it('an open socket starts the count again', () => {
    expect(judgeLink(LOST_AFTER_CLOSES - 1, { state: 'open' })).toEqual({ closesInARow: 0, stop: null });
    expect(judgeLink(0, { state: 'closed', everOpened: true }).stop).toBeNull();
  });
});

describe('pages', () => {
  it('the console by its path, the others by their hash route', () => {
    expect(pageAt({ pathname: '/console/', hash: '#token=x' })).toBe('console');
    expect(pageAt({ pathname: '/console', hash: '' })).toBe('console');
    expect(pageAt({ pathname: '/s/2/', hash: '#/app' })).toBe('app');
    expect(pageAt({ pathname: '/s/2/', hash: '' })).toBe('kiosk');
    expect(pageAt({ pathname: '/', hash: '' })).toBe('kiosk');
  });
});

describe('words for every code the console shows', () => {
  const values = (schema: { anyOf: readonly { const: string }[] }) => schema.anyOf.map((s) => s.const);
  const screenIds = (ScreenSchema as unknown as { anyOf: readonly { properties: { id: { const: string } } }[] }).anyOf.map((s) => s.properties.id.const);

  it.each(['ja', 'en'] as const)('%s: every screen, outcome and problem', (language) => {
    const words = MESSAGES[language].console;
    expect(screenIds.length).toBeGreaterThan(5);
    for (const id of screenIds) expect(words.step[id as keyof typeof words.step], id).toBeTruthy();
    for (const o of values(ExerciseOutcomeSchema as never)) expect(words.outcome[o as keyof typeof words.outcome], o).toBeTruthy();
    for (const p of [...values(ConsoleProblemSchema as never), 'unreachable']) expect(words.problem[p as keyof typeof words.problem], p).toBeTruthy();
  });
});
