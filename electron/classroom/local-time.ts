/**
 * Times in scenario files: a store's wall clock in Japan, written "HH:MM" (on the scenario's day)
 * or "YYYY-MM-DD HH:MM". Japan has no daylight saving, so a wall-clock time is one instant.
 */

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

export const LOCAL_TIME_PATTERN = '^(?:\\d{4}-\\d{2}-\\d{2}[ T])?\\d{2}:\\d{2}$';
export const LOCAL_TIME_FORM = '"HH:MM" or "YYYY-MM-DD HH:MM" (Japan time)';

export interface LocalTime {
  /** null: the scenario's day (the day of its clock, or today). */
  readonly date: { readonly year: number; readonly month: number; readonly day: number } | null;
  readonly hour: number;
  readonly minute: number;
}

/** The time `text` names, or null when it is no real date and time (e.g. 25:00, 2026-02-30). */
export function parseLocalTime(text: string): LocalTime | null {
  const m = /^(?:(\d{4})-(\d{2})-(\d{2})[ T])?(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  if (hour > 23 || minute > 59) return null;
  if (m[1] === undefined) return { date: null, hour, minute };
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return { date: { year, month, day }, hour, minute };
}

/** The instant of `t`; a time without a date falls on the Japan day of `day` (epoch ms). */
export function instantOf(t: LocalTime, day: number): number {
  const d = t.date ?? (() => {
    const j = new Date(day + JST_OFFSET_MS);
    return { year: j.getUTCFullYear(), month: j.getUTCMonth() + 1, day: j.getUTCDate() };
  })();
  return Date.UTC(d.year, d.month - 1, d.day, t.hour, t.minute) - JST_OFFSET_MS;
}
