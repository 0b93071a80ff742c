// The ticket report: tickets created in a period that the caller may see (the ticket list's own
// visibility rule), grouped by category, class, assignee or week, with their figures.
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { type Database, schema } from "../../db";
import {
  addDays,
  categoryLabel,
  FiguresTally,
  instantOfLocalTime,
  type ReportTicket,
  type SchoolClock,
  schoolClock,
  slaFromSettings,
  type TicketFigures,
  waitsOf,
} from "../domain";
import { staffDisplayName } from "./directory";
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

/** A ticket's group: the key it is counted under and the label people read. */
function groupOf(
  grouping: ReportGrouping,
  row: ReportRow,
  clock: SchoolClock,
  names: Map<number, string>,
) {
  switch (grouping) {
    case "category":
      return { key: row.category, label: categoryLabel(row.category) };
    case "class":
      return row.className
        ? { key: row.className, label: row.className }
        : { key: "none", label: "No class" };
    case "assignee":
      return row.assigneeId !== null
        ? { key: String(row.assigneeId), label: names.get(row.assigneeId) ?? "Former staff" }
        : { key: "unassigned", label: "Unassigned" };
    case "week": {
      const monday = clock.weekOf(row.createdAt);
      return { key: monday, label: `Week of ${monday}` };
    }
  }
}

export async function ticketReport(
  db: Database,
  viewer: StaffViewer,
  query: ReportPeriod & { groupBy: ReportGrouping; now: number },
): Promise<TicketReport> {
  const { timeZone, clock } = await loadSchoolClock(db, viewer.schoolId);
  const { from, to } = periodInstants(query, timeZone);
  const rows = reportRows(db, viewer, from, to, { withClass: query.groupBy === "class" });
  const names =
    query.groupBy === "assignee"
      ? await staffNames(db, viewer.schoolId)
      : new Map<number, string>();
  const groups = new Map<string, { label: string; tally: FiguresTally }>();
  const total = new FiguresTally(query.now);
  for (const row of rows) {
    const { key, label } = groupOf(query.groupBy, row, clock, names);
    let group = groups.get(key);
    if (!group) {
      group = { label, tally: new FiguresTally(query.now) };
      groups.set(key, group);
    }
    const [firstWait, resolution] = waitsOf(row, clock);
    group.tally.add(row, firstWait, resolution);
    total.add(row, firstWait, resolution);
  }
  return {
    from: query.from,
    to: query.to,
    timeZone,
    groupBy: query.groupBy,
    groups: [...groups]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, group]) => ({ key, label: group.label, ...group.tally.figures() })),
    total: total.figures(),
  };
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
