// The figures of a ticket report (pure): from each ticket's times, its working-hours waits, and per
// group the volume, first-response and resolution percentiles, SLA breach, reopen and CSAT figures.
import { cachedOffsetAt } from "./local-time";
import { type SlaPolicy, workingTimeCounter } from "./sla";

/** What a report needs to know of one ticket. */
export interface ReportTicket {
  createdAt: number;
  firstResponseAt: number | null;
  firstResponseDueAt: number | null;
  resolvedAt: number | null;
  reopenCount: number;
  rating: number | null;
}

export interface Percentiles {
  /** Tickets the figures are taken over. */
  count: number;
  medianHours: number | null;
  p90Hours: number | null;
}

export interface TicketFigures {
  tickets: number;
  /** From creation to the first staff answer, in the school's working hours. */
  firstResponse: Percentiles;
  /** From creation to resolution (tickets resolved now), in the school's working hours. */
  resolution: Percentiles;
  /** Of tickets with a due time: answered late, or unanswered past it. */
  slaBreached: number;
  slaBreachRate: number | null;
  /** Of tickets ever resolved: reopened by the parent at least once. */
  reopened: number;
  reopenRate: number | null;
  csat: { average: number | null; count: number };
}

/**
 * The nearest-rank percentile: the smallest value with at least `p` % of the values at or below
 * it (the median of 1, 2, 3, 4 is 2). Values must be sorted.
 */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const round = (value: number, places: number) => Number(value.toFixed(places));
const rate = (part: number, whole: number) => (whole === 0 ? null : round(part / whole, 4));

function percentiles(waitsMs: number[]): Percentiles {
  const sorted = waitsMs.sort((a, b) => a - b);
  const hours = (value: number | null) => (value === null ? null : round(value / HOUR, 2));
  return {
    count: sorted.length,
    medianHours: hours(nearestRank(sorted, 50)),
    p90Hours: hours(nearestRank(sorted, 90)),
  };
}

/** Working-hours arithmetic for one school, with its zone's offsets remembered across tickets. */
export function schoolClock(policy: SlaPolicy, timeZone: string) {
  const offset = cachedOffsetAt();
  return {
    workingMs: workingTimeCounter(policy, timeZone, offset),
    /** The local date (YYYY-MM-DD) of the Monday starting the week that holds `at`. */
    weekOf: (at: number) => {
      const date = Math.floor((at + offset(at, timeZone)) / DAY) * DAY;
      const weekday = new Date(date).getUTCDay();
      const monday = date - ((weekday + 6) % 7) * DAY;
      return new Date(monday).toISOString().slice(0, 10);
    },
  };
}

export type SchoolClock = ReturnType<typeof schoolClock>;

/** The figures of a set of tickets; `now` decides whether an unanswered ticket is past due. */
export function ticketFigures(
  rows: readonly ReportTicket[],
  clock: SchoolClock,
  now: number,
): TicketFigures {
  const firstWaits: number[] = [];
  const resolutions: number[] = [];
  let withDue = 0;
  let breached = 0;
  let everResolved = 0;
  let reopened = 0;
  let ratingSum = 0;
  let ratings = 0;
  for (const row of rows) {
    if (row.firstResponseAt !== null)
      firstWaits.push(clock.workingMs(row.createdAt, row.firstResponseAt));
    if (row.resolvedAt !== null) resolutions.push(clock.workingMs(row.createdAt, row.resolvedAt));
    if (row.firstResponseDueAt !== null) {
      withDue += 1;
      if (row.firstResponseDueAt < (row.firstResponseAt ?? row.resolvedAt ?? now)) breached += 1;
    }
    if (row.resolvedAt !== null || row.reopenCount > 0) everResolved += 1;
    if (row.reopenCount > 0) reopened += 1;
    if (row.rating !== null) {
      ratingSum += row.rating;
      ratings += 1;
    }
  }
  return {
    tickets: rows.length,
    firstResponse: percentiles(firstWaits),
    resolution: percentiles(resolutions),
    slaBreached: breached,
    slaBreachRate: rate(breached, withDue),
    reopened,
    reopenRate: rate(reopened, everResolved),
    csat: { average: ratings === 0 ? null : round(ratingSum / ratings, 2), count: ratings },
  };
}
