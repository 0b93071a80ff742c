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
export function nearestRank(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const round = (value: number, places: number) => Number(value.toFixed(places));
const rate = (part: number, whole: number) => (whole === 0 ? null : round(part / whole, 4));

function percentiles(waitsMs: readonly number[]): Percentiles {
  // A typed array sorts numerically in native code: a year of a school's waits is ~50,000.
  const sorted = Float64Array.from(waitsMs).sort();
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
  const mondays = new Map<number, string>();
  return {
    workingMs: workingTimeCounter(policy, timeZone, offset),
    /** The local date (YYYY-MM-DD) of the Monday starting the week that holds `at`. */
    weekOf: (at: number) => {
      const date = Math.floor((at + offset(at, timeZone)) / DAY) * DAY;
      let monday = mondays.get(date);
      if (monday === undefined) {
        const weekday = new Date(date).getUTCDay();
        monday = new Date(date - ((weekday + 6) % 7) * DAY).toISOString().slice(0, 10);
        mondays.set(date, monday);
      }
      return monday;
    },
  };
}

export type SchoolClock = ReturnType<typeof schoolClock>;

/** A group's counts: what its figures are taken from besides the waits. */
export interface FiguresCounts {
  tickets: number;
  /** Tickets with a first-response due time, and of those the ones past it. */
  withDue: number;
  breached: number;
  /** Tickets resolved now or ever (reopened), and of those the ones reopened. */
  everResolved: number;
  reopened: number;
  ratingSum: number;
  ratings: number;
}

export const emptyFiguresCounts = (): FiguresCounts => ({
  tickets: 0,
  withDue: 0,
  breached: 0,
  everResolved: 0,
  reopened: 0,
  ratingSum: 0,
  ratings: 0,
});

/** A group's figures from its counts and its waits (working ms, in any order; sorted here). */
export function figuresOf(
  counts: FiguresCounts,
  firstWaits: number[],
  resolutions: number[],
): TicketFigures {
  return {
    tickets: counts.tickets,
    firstResponse: percentiles(firstWaits),
    resolution: percentiles(resolutions),
    slaBreached: counts.breached,
    slaBreachRate: rate(counts.breached, counts.withDue),
    reopened: counts.reopened,
    reopenRate: rate(counts.reopened, counts.everResolved),
    csat: {
      average: counts.ratings === 0 ? null : round(counts.ratingSum / counts.ratings, 2),
      count: counts.ratings,
    },
  };
}

/**
 * Figures gathered one ticket at a time, so a report counts each ticket's waits once and adds it
 * to its group's tally and the total's. `now` decides whether an unanswered ticket is past due.
 */
export class FiguresTally {
  private readonly counts = emptyFiguresCounts();
  private readonly firstWaits: number[] = [];
  private readonly resolutions: number[] = [];

  constructor(private readonly now: number) {}

  /** Adds a ticket with its waits (working ms; null when not answered or not resolved). */
  add(row: ReportTicket, firstWait: number | null, resolution: number | null): void {
    const counts = this.counts;
    counts.tickets += 1;
    if (firstWait !== null) this.firstWaits.push(firstWait);
    if (resolution !== null) this.resolutions.push(resolution);
    if (row.firstResponseDueAt !== null) {
      counts.withDue += 1;
      if (row.firstResponseDueAt < (row.firstResponseAt ?? row.resolvedAt ?? this.now))
        counts.breached += 1;
    }
    if (row.resolvedAt !== null || row.reopenCount > 0) counts.everResolved += 1;
    if (row.reopenCount > 0) counts.reopened += 1;
    if (row.rating !== null) {
      counts.ratingSum += row.rating;
      counts.ratings += 1;
    }
  }

  figures(): TicketFigures {
    return figuresOf(this.counts, this.firstWaits, this.resolutions);
  }
}

/** A ticket's first-answer and resolution waits in working ms (null when there is none yet). */
export const waitsOf = (row: ReportTicket, clock: SchoolClock) =>
  [
    row.firstResponseAt === null ? null : clock.workingMs(row.createdAt, row.firstResponseAt),
    row.resolvedAt === null ? null : clock.workingMs(row.createdAt, row.resolvedAt),
  ] as const;

/** The figures of a set of tickets; `now` decides whether an unanswered ticket is past due. */
export function ticketFigures(
  rows: readonly ReportTicket[],
  clock: SchoolClock,
  now: number,
): TicketFigures {
  const tally = new FiguresTally(now);
  for (const row of rows) tally.add(row, ...waitsOf(row, clock));
  return tally.figures();
}
