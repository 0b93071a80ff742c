// Dates and times a parent reads: through Intl, in their language and the school's time zone.

const LOCALES: Record<string, string> = { en: "en-US", es: "es" };
const localeOf = (language: string | undefined) => LOCALES[language ?? "en"] ?? "en-US";

/** "Friday, December 4" / "viernes, 4 de diciembre". */
export function formatDay(at: number, timezone: string, language?: string): string {
  return new Intl.DateTimeFormat(localeOf(language), {
    timeZone: timezone,
    weekday: "long",
    month: "long",
    day: "numeric",
  }).format(at);
}

/** "9:42 AM PST" / "9:42 GMT-8": a time later the same day, with the zone. */
export function formatTime(at: number, timezone: string, language?: string): string {
  return new Intl.DateTimeFormat(localeOf(language), {
    timeZone: timezone,
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(at);
}

/** "Friday, December 4, 4:07 PM PST": a moment that may be another day. */
export function formatDateTime(at: number, timezone: string, language?: string): string {
  return new Intl.DateTimeFormat(localeOf(language), {
    timeZone: timezone,
    weekday: "long",
    month: "long",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(at);
}
