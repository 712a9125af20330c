/**
 * The trainer's clock presets and the Japan-time date fields of the settings panel. Pure, so each
 * preset is unit-tested. The kiosk's hours are Japan time (electron/domain/hours), so every time a
 * trainer types or picks is the store's wall clock, whatever the trainer's machine says.
 *
 * Two clocks matter in a training room: the kiosk's (its 06:30–23:00 hours, set in the kiosk's
 * settings) and the reservation center's (a booking is valid 24 h by the center's clock). "+24 h"
 * must move both, or a booking would never look expired at the kiosk.
 */
import type { ClockSetting } from '@contract/trainer';

const JST_MS = 9 * 3600_000;
export const DAY_MS = 24 * 3600_000;

export type ClockPreset = 'before-closing' | 'before-opening' | 'plus-day' | 'real';
export const CLOCK_PRESETS: readonly ClockPreset[] = ['before-closing', 'before-opening', 'plus-day', 'real'];

/** Epoch ms of hh:mm Japan time on the Japan-time day of `at`. */
export function jstTimeOnDay(at: number, hour: number, minute: number): number {
  const d = new Date(at + JST_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hour, minute) - JST_MS;
}

/** A clock that reads `at` now and keeps running (the trainer watches 23:00 arrive). */
export function runningAt(at: number, realNow: number): ClockSetting {
  return { mode: 'offset', offsetMs: Math.round(at - realNow) };
}

/**
 * The kiosk clock a preset sets, from the clock now (`simulatedNow` on the kiosk's day):
 *  - before-closing: 22:59 that day, running — the 23:00 cut-off comes a minute later;
 *  - before-opening: 06:29 that day, running — the service opens a minute later;
 *  - plus-day: the same clock 24 h on (a frozen clock stays frozen);
 *  - real: the machine's clock.
 */
export function presetClock(preset: ClockPreset, current: ClockSetting, simulatedNow: number, realNow: number): ClockSetting {
  switch (preset) {
    case 'before-closing':
      return runningAt(jstTimeOnDay(simulatedNow, 22, 59), realNow);
    case 'before-opening':
      return runningAt(jstTimeOnDay(simulatedNow, 6, 29), realNow);
    case 'plus-day':
      if (current.mode === 'fixed') return { mode: 'fixed', at: current.at + DAY_MS };
      return { mode: 'offset', offsetMs: (current.mode === 'offset' ? current.offsetMs : 0) + DAY_MS };
    case 'real':
      return { mode: 'system' };
  }
}

/** The reservation center's clock offset a preset sets; undefined when it leaves the center alone. */
export function presetCenterOffset(preset: ClockPreset, currentOffsetMs: number): number | undefined {
  if (preset === 'plus-day') return currentOffsetMs + DAY_MS;
  if (preset === 'real') return 0;
  return undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * "2026/11/25 22:59" in Japan time: what the settings panel's date fields show. A plain text field,
 * not <input type="datetime-local">, whose display follows the browser's locale (11/25/2026, 10:00 AM
 * on an American build) whatever the store's.
 */
export function toJstInput(at: number): string {
  const d = new Date(at + JST_MS);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/**
 * The instant a typed date and time names in Japan time; null when it names none. Takes the field's
 * own "2026/11/25 22:59" (single-digit month, day and hour too) and the ISO "2026-11-25T22:59" a
 * datetime-local value or a script gives.
 */
export function fromJstInput(value: string): number | null {
  const m = /^\s*(\d{4})([/-])(\d{1,2})\2(\d{1,2})(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [Number(m[1]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7] ?? 0)];
  const t = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(t);
  // Date.UTC rolls 2026-02-30 over to March: such a value names no day.
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return t - JST_MS;
}

/** "+24:00", "−1:30", "±0:00": how far a clock is from real time, in hours and minutes. */
export function formatOffset(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const sign = minutes === 0 ? '±' : offsetMs > 0 ? '+' : '−';
  return `${sign}${Math.floor(minutes / 60)}:${pad(minutes % 60)}`;
}
