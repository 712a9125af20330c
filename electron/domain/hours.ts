/**
 * Kiosk service hours: 06:30–23:00 Japan time, every day, except maintenance windows.
 * Times are computed in Asia/Tokyo (UTC+9, no DST) whatever the host's time zone, because the
 * rule is about the store's wall clock, and the simulated clock is set in that zone.
 */

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

export const SERVICE_OPENS = { hour: 6, minute: 30 } as const;
export const SERVICE_CLOSES = { hour: 23, minute: 0 } as const;

export interface MaintenanceWindow {
  /** Start, inclusive (epoch ms). */
  readonly from: number;
  /** End, exclusive (epoch ms). */
  readonly until: number;
  readonly note?: string;
}

/** Minutes since midnight in Japan for the instant `epochMs`. */
export function jstMinuteOfDay(epochMs: number): number {
  const d = new Date(epochMs + JST_OFFSET_MS);
  return d.getUTCHours() * 60 + d.getUTCMinutes();
}

export type HoursVerdict =
  | { readonly open: true; readonly closesAt: number }
  | { readonly open: false; readonly reason: 'outside-hours' | 'maintenance'; readonly opensAt: number };

const OPEN_MIN = SERVICE_OPENS.hour * 60 + SERVICE_OPENS.minute;
const CLOSE_MIN = SERVICE_CLOSES.hour * 60 + SERVICE_CLOSES.minute;

/** Epoch ms of the JST wall-clock time hh:mm on the JST day of `epochMs`, plus `dayOffset` days. */
function jstTimeOnDay(epochMs: number, hour: number, minute: number, dayOffset = 0): number {
  const d = new Date(epochMs + JST_OFFSET_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + dayOffset, hour, minute) - JST_OFFSET_MS;
}

/**
 * Whether the kiosk reset service is available at `now`. 06:30:00 is open; 23:00:00 is closed.
 */
export function serviceHours(now: number, maintenance: readonly MaintenanceWindow[] = []): HoursVerdict {
  const window = maintenance.find((w) => now >= w.from && now < w.until);
  if (window) return { open: false, reason: 'maintenance', opensAt: window.until };
  const minute = jstMinuteOfDay(now);
  if (minute >= OPEN_MIN && minute < CLOSE_MIN) {
    return { open: true, closesAt: jstTimeOnDay(now, SERVICE_CLOSES.hour, SERVICE_CLOSES.minute) };
  }
  const opensAt =
    minute < OPEN_MIN
      ? jstTimeOnDay(now, SERVICE_OPENS.hour, SERVICE_OPENS.minute)
      : jstTimeOnDay(now, SERVICE_OPENS.hour, SERVICE_OPENS.minute, 1);
  return { open: false, reason: 'outside-hours', opensAt };
}

/** "2026-11-25 06:30" in Japan time, for messages and logs. */
export function formatJst(epochMs: number): string {
  const d = new Date(epochMs + JST_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}
