/**
 * The settings panel's clock presets and Japan-time fields, and what it says about when a change
 * takes effect: pure rules, checked from tables.
 */
import { describe, expect, it } from 'vitest';
import { DAY_MS, formatOffset, fromJstInput, jstTimeOnDay, presetCenterOffset, presetClock, toJstInput } from '../../renderer/src/trainer/clock';
import { effectOf } from '../../renderer/src/trainer/settings-editor';
import { serviceHours } from '../../electron/domain/hours';

const JST = 9 * 3600_000;
const jst = (y: number, mo: number, d: number, h: number, mi: number) => Date.UTC(y, mo - 1, d, h, mi) - JST;
const REAL = jst(2026, 11, 25, 12, 0);

describe('clock presets', () => {
  it('22:59 and 06:29 are on the kiosk’s own (Japan) day, running', () => {
    // 00:30 JST on the 26th is still the 25th in UTC: the day must be Japan's.
    const sim = jst(2026, 11, 26, 0, 30);
    const closing = presetClock('before-closing', { mode: 'system' }, sim, REAL);
    expect(closing).toEqual({ mode: 'offset', offsetMs: jst(2026, 11, 26, 22, 59) - REAL });
    expect(presetClock('before-opening', { mode: 'system' }, sim, REAL)).toEqual({ mode: 'offset', offsetMs: jst(2026, 11, 26, 6, 29) - REAL });
    // A minute later the hours rule sees the cut-off and the opening.
    const after = (c: ReturnType<typeof presetClock>, ms: number) => REAL + (c.mode === 'offset' ? c.offsetMs : 0) + ms;
    expect(serviceHours(after(closing, 0)).open).toBe(true);
    expect(serviceHours(after(closing, 60_000)).open).toBe(false);
    const opening = presetClock('before-opening', { mode: 'system' }, sim, REAL);
    expect(serviceHours(after(opening, 0)).open).toBe(false);
    expect(serviceHours(after(opening, 60_000)).open).toBe(true);
  });

  it('+24 h keeps the clock’s kind; real time is the system clock', () => {
    expect(presetClock('plus-day', { mode: 'system' }, REAL, REAL)).toEqual({ mode: 'offset', offsetMs: DAY_MS });
    expect(presetClock('plus-day', { mode: 'offset', offsetMs: -5000 }, REAL, REAL)).toEqual({ mode: 'offset', offsetMs: DAY_MS - 5000 });
    expect(presetClock('plus-day', { mode: 'fixed', at: 1000 }, 1000, REAL)).toEqual({ mode: 'fixed', at: 1000 + DAY_MS });
    expect(presetClock('real', { mode: 'fixed', at: 1000 }, 1000, REAL)).toEqual({ mode: 'system' });
  });

  it('the center’s clock follows +24 h and real time only', () => {
    expect(presetCenterOffset('plus-day', 0)).toBe(DAY_MS);
    expect(presetCenterOffset('plus-day', DAY_MS)).toBe(2 * DAY_MS);
    expect(presetCenterOffset('real', DAY_MS)).toBe(0);
    expect(presetCenterOffset('before-closing', DAY_MS)).toBeUndefined();
    expect(presetCenterOffset('before-opening', 0)).toBeUndefined();
  });

  it('Japan-time fields round-trip; impossible dates name nothing', () => {
    const at = jst(2026, 12, 31, 23, 59);
    // Shown the Japanese way (YYYY/MM/DD HH:mm), whatever the browser's locale.
    expect(toJstInput(at)).toBe('2026/12/31 23:59');
    expect(fromJstInput(toJstInput(at))).toBe(at);
    expect(fromJstInput('2026/1/5 6:30')).toBe(jst(2026, 1, 5, 6, 30));
    expect(fromJstInput('2026-12-31T23:59')).toBe(at);
    expect(fromJstInput('2026-12-31T23:59:30')).toBe(at + 30_000);
    expect(jstTimeOnDay(at, 6, 30)).toBe(jst(2026, 12, 31, 6, 30));
    for (const bad of ['', '2026/02/30 10:00', '2026-02-30T10:00', '2026/12/31 24:00', '2026/12-31 10:00', '2026/12/31', '12/31/2026, 11:59 PM', 'tomorrow']) {
      expect(fromJstInput(bad), bad).toBeNull();
    }
  });

  it('offsets read as hours and minutes', () => {
    expect(formatOffset(0)).toBe('±0:00');
    expect(formatOffset(DAY_MS)).toBe('+24:00');
    expect(formatOffset(-90 * 60_000)).toBe('−1:30');
  });
});

describe('when a change takes effect', () => {
  it.each([
    [{ chain: 'lawson' }, 'now'],
    [{ clock: { mode: 'system' } }, 'now'],
    [{ timeouts: { inactivitySeconds: 60, warningSeconds: 20, takeCardSeconds: 30 } }, 'next-countdown'],
    [{ language: 'en' }, 'next-session'],
    [{ chain: 'lawson', language: 'en' }, 'next-session'],
    [{ centerUrl: '' }, 'next-start'],
  ] as const)('%j → %s', (patch, effect) => {
    expect(effectOf(patch)).toBe(effect);
  });
});
