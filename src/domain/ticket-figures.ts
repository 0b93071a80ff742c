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

/**
 * Figures gathered one ticket at a time, so a report counts each ticket's waits once and adds it
 * to its group's tally and the total's. `now` decides whether an unanswered ticket is past due.
 */
export class FiguresTally {
  private tickets = 0;
  private readonly firstWaits: number[] = [];
  private readonly resolutions: number[] = [];
  private withDue = 0;
  private breached = 0;
  private everResolved = 0;
  private reopened = 0;
  private ratingSum = 0;
  private ratings = 0;

  constructor(private readonly now: number) {}

  /** Adds a ticket with its waits (working ms; null when not answered or not resolved). */
  add(row: ReportTicket, firstWait: number | null, resolution: number | null): void {
    this.tickets += 1;
    if (firstWait !== null) this.firstWaits.push(firstWait);
    if (resolution !== null) this.resolutions.push(resolution);
    if (row.firstResponseDueAt !== null) {
      this.withDue += 1;
      if (row.firstResponseDueAt < (row.firstResponseAt ?? row.resolvedAt ?? this.now))
        this.breached += 1;
    }
    if (row.resolvedAt !== null || row.reopenCount > 0) this.everResolved += 1;
    if (row.reopenCount > 0) this.reopened += 1;
    if (row.rating !== null) {
      this.ratingSum += row.rating;
      this.ratings += 1;
    }
  }

  figures(): TicketFigures {
    return {
      tickets: this.tickets,
      firstResponse: percentiles(this.firstWaits),
      resolution: percentiles(this.resolutions),
      slaBreached: this.breached,
      slaBreachRate: rate(this.breached, this.withDue),
      reopened: this.reopened,
      reopenRate: rate(this.reopened, this.everResolved),
      csat: {
        average: this.ratings === 0 ? null : round(this.ratingSum / this.ratings, 2),
        count: this.ratings,
      },
    };
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
