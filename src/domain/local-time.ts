// Wall-clock time in a school's time zone (pure): reading an instant's local date and minute, and
// finding the instant of a local date and time, daylight saving changes included.

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Milliseconds to add to a UTC instant to read the wall clock in `timeZone` at that instant. */
export function offsetAt(at: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(
    part("year"),
    part("month") - 1,
    part("day"),
    part("hour"),
    part("minute"),
    part("second"),
  );
  return wall - Math.floor(at / 1000) * 1000;
}

const OFFSET_BUCKET = 15 * MINUTE;

/**
 * `offsetAt` remembered, for code that converts many instants of one period (a report over a year
 * of tickets): a UTC day whose offset is the same at both ends has it throughout, and the few days
 * a zone changes its clocks are remembered per quarter hour (zones change on a quarter hour).
 */
export function cachedOffsetAt(): (at: number, timeZone: string) => number {
  const zones = new Map<
    string,
    { days: Map<number, number | null>; quarters: Map<number, number> }
  >();
  return (at, timeZone) => {
    let zone = zones.get(timeZone);
    if (!zone) {
      zone = { days: new Map(), quarters: new Map() };
      zones.set(timeZone, zone);
    }
    const day = Math.floor(at / DAY);
    let whole = zone.days.get(day);
    if (whole === undefined) {
      const first = offsetAt(day * DAY, timeZone);
      whole = first === offsetAt(day * DAY + DAY - 1000, timeZone) ? first : null;
      zone.days.set(day, whole);
    }
    if (whole !== null) return whole;
    const quarter = Math.floor(at / OFFSET_BUCKET);
    let offset = zone.quarters.get(quarter);
    if (offset === undefined) {
      offset = offsetAt(at, timeZone);
      zone.quarters.set(quarter, offset);
    }
    return offset;
  };
}

/** A local calendar date, and minutes since local midnight. */
export interface LocalTime {
  /** Midnight of the local date written as if it were UTC: a day key that adds and compares. */
  date: number;
  minuteOfDay: number;
}

export function localTimeOf(at: number, timeZone: string): LocalTime {
  const wall = at + offsetAt(at, timeZone);
  const date = Math.floor(wall / DAY) * DAY;
  return { date, minuteOfDay: Math.floor((wall - date) / MINUTE) };
}

/** The local date `days` after `date`. */
export const addDays = (date: number, days: number) => date + days * DAY;

/**
 * The instant the wall clock in `timeZone` shows `minuteOfDay` on `date`. A time skipped by a
 * change to summer time is read with the offset from before the change (02:30 on the morning the
 * clocks jump from 02:00 to 03:00 is 03:30); a time that happens twice is its first occurrence.
 * These are the choices of Temporal's "compatible" disambiguation.
 */
export function instantOfLocalTime(date: number, minuteOfDay: number, timeZone: string): number {
  const wall = date + minuteOfDay * MINUTE;
  const before = offsetAt(wall - DAY, timeZone);
  const after = offsetAt(wall + DAY, timeZone);
  const fits = [before, after]
    .map((offset) => wall - offset)
    .filter((instant) => instant + offsetAt(instant, timeZone) === wall);
  return fits.length > 0 ? Math.min(...fits) : wall - before;
}
