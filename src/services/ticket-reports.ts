// The ticket report: tickets created in a period that the caller may see (the ticket list's own
// visibility rule), grouped by category, class, assignee or week, with their figures.
import { and, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import { type Database, schema } from "../../db";
import {
  addDays,
  categoryLabel,
  emptyFiguresCounts,
  type FiguresCounts,
  figuresOf,
  instantOfLocalTime,
  type ReportTicket,
  type SchoolClock,
  schoolClock,
  slaFromSettings,
  type TicketFigures,
} from "../domain";
import { staffDisplayName } from "./directory";
import { fillReportDurations } from "./report-durations";
import type { StaffViewer } from "./staff-viewer";
import { visibleTo } from "./tickets";

const { tickets, students, classes, staff, schools } = schema;

export const reportGroupings = ["category", "class", "assignee", "week"] as const;
export type ReportGrouping = (typeof reportGroupings)[number];

/** A period of whole local days in the school's time zone, both ends included (YYYY-MM-DD). */
export interface ReportPeriod {
  from: string;
  to: string;
}

export interface ReportGroup extends TicketFigures {
  key: string;
  label: string;
}

export interface TicketReport {
  from: string;
  to: string;
  timeZone: string;
  groupBy: ReportGrouping;
  groups: ReportGroup[];
  total: TicketFigures;
}

/** The school's zone and working hours: what every report's times are read in. */
export async function loadSchoolClock(db: Database, schoolId: number) {
  const [school] = await db
    .select({ settings: schools.settings, timezone: schools.timezone })
    .from(schools)
    .where(eq(schools.id, schoolId));
  const timeZone = school?.timezone ?? "UTC";
  const policy = slaFromSettings(school?.settings ?? {});
  return { timeZone, policy, clock: schoolClock(policy, timeZone) };
}

/** The instants a period of local days starts and ends at (end excluded). */
export function periodInstants(period: ReportPeriod, timeZone: string) {
  const from = instantOfLocalTime(Date.parse(period.from), 0, timeZone);
  const to = instantOfLocalTime(addDays(Date.parse(period.to), 1), 0, timeZone);
  return { from, to };
}

export interface ReportRow extends ReportTicket {
  number: number;
  category: string;
  assigneeId: number | null;
  /** The child's class; read only when the report groups by class. */
  className: string | null;
}

type ReportTuple = [
  number,
  number,
  number | null,
  number | null,
  number | null,
  number,
  number | null,
  string,
  number | null,
  string | null,
];

/**
 * The visible tickets created in [from, to), with what grouping needs. Built with drizzle so the
 * visibility rule is the ticket list's, run as one raw statement read as arrays (drizzle's SQL
 * names columns without aliases): a year of a large school's tickets is tens of thousands of
 * rows. The child's class is joined only when asked for; a covering index (report_indexes) holds
 * every other column read.
 */
export function reportRows(
  db: Database,
  viewer: StaffViewer,
  from: number,
  to: number,
  options: { withClass?: boolean } = {},
): ReportRow[] {
  const columns = {
    number: tickets.number,
    createdAt: tickets.createdAt,
    firstResponseAt: tickets.firstResponseAt,
    firstResponseDueAt: tickets.firstResponseDueAt,
    resolvedAt: tickets.resolvedAt,
    reopenCount: tickets.reopenCount,
    rating: tickets.rating,
    category: tickets.category,
    assigneeId: tickets.assigneeStaffId,
  };
  const where = and(visibleTo(viewer), gte(tickets.createdAt, from), lt(tickets.createdAt, to));
  const query = options.withClass
    ? db
        .select({ ...columns, className: classes.name })
        .from(tickets)
        .leftJoin(students, eq(students.id, tickets.studentId))
        .leftJoin(classes, eq(classes.id, students.classId))
        .where(where)
        .toSQL()
    : db.select(columns).from(tickets).where(where).toSQL();
  const raw = db.$client
    .prepare(query.sql)
    .raw()
    .all(...query.params) as ReportTuple[];
  return raw.map(
    ([
      number,
      createdAt,
      firstResponseAt,
      firstResponseDueAt,
      resolvedAt,
      reopenCount,
      rating,
      category,
      assigneeId,
      className,
    ]) => ({
      number,
      createdAt,
      firstResponseAt,
      firstResponseDueAt,
      resolvedAt,
      reopenCount,
      rating,
      category,
      assigneeId,
      className: className ?? null,
    }),
  );
}

/** The school's staff names by id, for labelling assignee groups. */
async function staffNames(db: Database, schoolId: number): Promise<Map<number, string>> {
  const members = await db
    .select({
      id: staff.id,
      title: staff.title,
      firstName: staff.firstName,
      lastName: staff.lastName,
    })
    .from(staff)
    .where(eq(staff.schoolId, schoolId));
  return new Map(members.map((member) => [member.id, staffDisplayName(member)]));
}

/**
 * One row of the report's aggregate: a group's key as SQL gives it, its counts (sums are null
 * over no rows), and its waits in working ms as comma-separated lists (null with none).
 */
type GroupTuple = [
  string | number | null,
  number,
  number,
  number | null,
  number | null,
  number | null,
  number,
  number,
  string | null,
  string | null,
];

/**
 * The SQL that says which group a ticket is counted under. A week is the local Monday it starts
 * on: the period's week starts are worked out here and matched by creation time.
 */
function groupKeySql(
  grouping: ReportGrouping,
  clock: SchoolClock,
  timeZone: string,
  period: { from: number; to: number },
): SQL {
  switch (grouping) {
    case "category":
      return sql`${tickets.category}`;
    case "class":
      return sql`${classes.name}`;
    case "assignee":
      return sql`${tickets.assigneeStaffId}`;
    case "week": {
      let monday = Date.parse(clock.weekOf(period.from));
      const weeks: SQL[] = [];
      for (;;) {
        const next = addDays(monday, 7);
        const nextStarts = instantOfLocalTime(next, 0, timeZone);
        if (nextStarts >= period.to) break;
        weeks.push(sql`when ${tickets.createdAt} < ${nextStarts} then ${isoDate(monday)}`);
        monday = next;
      }
      const last = sql`${isoDate(monday)}`;
      return weeks.length === 0 ? last : sql`case ${sql.join(weeks, sql` `)} else ${last} end`;
    }
  }
}

const isoDate = (date: number) => new Date(date).toISOString().slice(0, 10);

/** A group's key and label, from the key SQL gave it. */
function groupOf(
  grouping: ReportGrouping,
  value: string | number | null,
  names: Map<number, string>,
) {
  switch (grouping) {
    case "category":
      return { key: String(value), label: categoryLabel(String(value)) };
    case "class":
      return value !== null
        ? { key: String(value), label: String(value) }
        : { key: "none", label: "No class" };
    case "assignee":
      return value !== null
        ? { key: String(value), label: names.get(Number(value)) ?? "Former staff" }
        : { key: "unassigned", label: "Unassigned" };
    case "week":
      return { key: String(value), label: `Week of ${value}` };
  }
}

/** Runs a drizzle query as one raw statement read as arrays (drizzle's SQL names no aliases). */
function rawRows<T>(db: Database, query: { toSQL(): { sql: string; params: unknown[] } }): T[] {
  const { sql: text, params } = query.toSQL();
  return db.$client
    .prepare(text)
    .raw()
    .all(...params) as T[];
}

interface GroupTally {
  label: string;
  counts: FiguresCounts;
  firstWaits: number[];
  resolutions: number[];
}

/**
 * The ticket report. Each ticket's waits are stored on it (report-durations.ts), so one aggregate
 * counts the groups and lists their waits, read in the transaction that brings the stored waits up
 * to date; what is left here is sorting the waits for the percentiles.
 */
export async function ticketReport(
  db: Database,
  viewer: StaffViewer,
  query: ReportPeriod & { groupBy: ReportGrouping; now: number },
): Promise<TicketReport> {
  const { timeZone, policy, clock } = await loadSchoolClock(db, viewer.schoolId);
  const period = periodInstants(query, timeZone);
  const names =
    query.groupBy === "assignee"
      ? await staffNames(db, viewer.schoolId)
      : new Map<number, string>();
  const key = groupKeySql(query.groupBy, clock, timeZone, period);
  const where = and(
    visibleTo(viewer),
    gte(tickets.createdAt, period.from),
    lt(tickets.createdAt, period.to),
  );
  const from = (columns: Record<string, SQL>) => {
    const base = db.select(columns).from(tickets);
    return query.groupBy === "class"
      ? base
          .leftJoin(students, eq(students.id, tickets.studentId))
          .leftJoin(classes, eq(classes.id, students.classId))
      : base;
  };
  const t = tickets;
  // One aggregate: each group's counts, and its waits as text lists (group_concat leaves nulls out).
  const rows = db.$client.transaction(() => {
    fillReportDurations(db, viewer.schoolId, policy, timeZone);
    return rawRows<GroupTuple>(
      db,
      from({
        key,
        tickets: sql`count(*)`,
        withDue: sql`count(${t.firstResponseDueAt})`,
        breached: sql`sum(${t.firstResponseDueAt} < coalesce(${t.firstResponseAt}, ${t.resolvedAt}, ${query.now}))`,
        everResolved: sql`sum(${t.resolvedAt} is not null or ${t.reopenCount} > 0)`,
        reopened: sql`sum(${t.reopenCount} > 0)`,
        ratingSum: sql`coalesce(sum(${t.rating}), 0)`,
        ratings: sql`count(${t.rating})`,
        firstWaits: sql`group_concat(case when ${t.firstResponseAt} is not null then ${t.firstResponseWorkingMs} end)`,
        resolutions: sql`group_concat(case when ${t.resolvedAt} is not null then ${t.resolutionWorkingMs} end)`,
      })
        .where(where)
        .groupBy(sql`1`),
    );
  })();
  const groups = new Map<string, GroupTally>();
  const total: GroupTally = {
    label: "",
    counts: emptyFiguresCounts(),
    firstWaits: [],
    resolutions: [],
  };
  for (const [value, ...counted] of rows) {
    const { key: groupKey, label } = groupOf(query.groupBy, value, names);
    let group = groups.get(groupKey);
    if (!group) {
      group = { label, counts: emptyFiguresCounts(), firstWaits: [], resolutions: [] };
      groups.set(groupKey, group);
    }
    for (const tally of [group, total]) addGroupRow(tally, counted);
  }
  const figures = (group: GroupTally) =>
    figuresOf(group.counts, group.firstWaits, group.resolutions);
  return {
    from: query.from,
    to: query.to,
    timeZone,
    groupBy: query.groupBy,
    groups: [...groups]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([groupKey, group]) => ({ key: groupKey, label: group.label, ...figures(group) })),
    total: figures(total),
  };
}

/** Adds an aggregate row (counts in FiguresCounts order, then the two wait lists) to a tally. */
function addGroupRow(tally: GroupTally, row: GroupTuple extends [unknown, ...infer R] ? R : never) {
  const [tickets, withDue, breached, everResolved, reopened, ratingSum, ratings, firsts, ends] =
    row;
  const counts = tally.counts;
  counts.tickets += tickets;
  counts.withDue += withDue;
  counts.breached += breached ?? 0;
  counts.everResolved += everResolved ?? 0;
  counts.reopened += reopened ?? 0;
  counts.ratingSum += ratingSum;
  counts.ratings += ratings;
  appendWaits(tally.firstWaits, firsts);
  appendWaits(tally.resolutions, ends);
}

/** Adds the waits of a group_concat list ("3600000,7200000") to `into`. */
function appendWaits(into: number[], list: string | null) {
  if (list === null) return;
  for (const wait of list.split(",")) into.push(Number(wait));
}

/** The visible tickets' count in a period: the bare query a report is compared with. */
export function countVisibleTickets(db: Database, viewer: StaffViewer, from: number, to: number) {
  const [row] = db
    .select({ n: sql<number>`count(*)` })
    .from(tickets)
    .where(and(visibleTo(viewer), gte(tickets.createdAt, from), lt(tickets.createdAt, to)))
    .all();
  return row?.n ?? 0;
}
