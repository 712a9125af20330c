/**
 * Dates and times on screen. The kiosk stands in a Japanese store and the core's clock is simulated,
 * so times are always the store's wall clock (Asia/Tokyo), whatever the machine's time zone.
 */
import type { Language } from '@contract/schema';

const ZONE = 'Asia/Tokyo';
const LOCALE: Record<Language, string> = { ja: 'ja-JP', en: 'en-GB' };

const clockFormats = new Map<Language, Intl.DateTimeFormat>();
const dayTimeFormats = new Map<Language, Intl.DateTimeFormat>();

function cached(map: Map<Language, Intl.DateTimeFormat>, language: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = map.get(language);
  if (f === undefined) {
    f = new Intl.DateTimeFormat(LOCALE[language], { timeZone: ZONE, ...options });
    map.set(language, f);
  }
  return f;
}

/** The header clock: date and time, as a multicopier shows it. */
export function formatClock(epochMs: number, language: Language): string {
  return cached(clockFormats, language, { month: 'short', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false }).format(
    epochMs,
  );
}

/** When the service opens again: "11月26日(木) 6:30" / "Thu 26 Nov, 06:30". */
export function formatOpensAt(epochMs: number, language: Language): string {
  return cached(dayTimeFormats, language, { month: 'short', day: 'numeric', weekday: 'short', hour: 'numeric', minute: '2-digit', hour12: false }).format(
    epochMs,
  );
}
