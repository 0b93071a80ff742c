// The weekly report: a week's ticket figures as the desk's report page shows them, and on Monday
// at 07:00 school time a chat summary to each admin with a linked staff chat, through the outbox
// (once per admin per week: the mark is written with the message, guarded on the mark read).
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { type Database, schema, WriteConflict } from "../../db";
import {
  addDays,
  alertPreferencesFrom,
  dateText,
  latestWeeklyReport,
  memberQuietHours,
  sendableAt,
  type TicketFigures,
  ticketFigures,
  ticketReference,
  type WorstWait,
  weeklyReportText,
} from "../domain";
import { planOutboxMessage } from "../outbox/enqueue";
import { UnitOfWork } from "../outbox/unit-of-work";
import { staffChatOf } from "./announcement-completion";
import type { ServiceDeps } from "./deps";
import { planSentMark } from "./staff-sent-marks";
import type { StaffViewer } from "./staff-viewer";
import { loadSchoolClock, periodInstants, type ReportRow, reportRows } from "./ticket-reports";

const { schools, staff } = schema;

/** A report not sent within this long after Monday 07:00 (the server was down) waits a week. */
const WEEKLY_REPORT_LATE_MS = 12 * 3_600_000;

export interface WeeklyReport {
  /** The Monday the week starts on, and its Sunday (school dates). */
  week: string;
  lastDay: string;
  figures: TicketFigures;
  /** Requests by day, Monday first. */
  byDay: { date: string; tickets: number }[];
  /** The figures by category, busiest first. */
  byCategory: (TicketFigures & { category: string })[];
  worstWait: WorstWait | null;
  /** The working hours a normal ticket's first answer is due within (settings.sla). */
  dueHours: number;
}

/** The week starting on Monday `week` (YYYY-MM-DD), over the tickets the viewer may see. */
export async function weeklyReport(
  db: Database,
  viewer: StaffViewer,
  week: string,
  now: number,
): Promise<WeeklyReport> {
  const { timeZone, clock, policy } = await loadSchoolClock(db, viewer.schoolId);
  const lastDay = dateText(addDays(Date.parse(week), 6));
  const { from, to } = periodInstants({ from: week, to: lastDay }, timeZone);
  const rows = reportRows(db, viewer, from, to);
  const days = Array.from({ length: 7 }, (_, n) => dateText(addDays(Date.parse(week), n)));
  const perDay = new Map(days.map((date) => [date, 0]));
  const perCategory = new Map<string, ReportRow[]>();
  let worst: (WorstWait & { ms: number }) | null = null;
  for (const row of rows) {
    const day = periodDay(days, row.createdAt, timeZone);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
    const group = perCategory.get(row.category) ?? [];
    group.push(row);
    perCategory.set(row.category, group);
    const ms = clock.workingMs(row.createdAt, row.firstResponseAt ?? Math.min(now, to));
    if (!worst || ms > worst.ms) {
      worst = {
        ms,
        reference: ticketReference(row.number),
        hours: Number((ms / 3_600_000).toFixed(1)),
        answered: row.firstResponseAt !== null,
        category: row.category,
      };
    }
  }
  return {
    week,
    lastDay,
    figures: ticketFigures(rows, clock, now),
    byDay: days.map((date) => ({ date, tickets: perDay.get(date) ?? 0 })),
    byCategory: [...perCategory]
      .map(([category, group]) => ({ category, ...ticketFigures(group, clock, now) }))
      .sort((a, b) => b.tickets - a.tickets || a.category.localeCompare(b.category)),
    worstWait: worst && {
      reference: worst.reference,
      hours: worst.hours,
      answered: worst.answered,
      category: worst.category,
    },
    dueHours: policy.firstResponseHours.normal,
  };
}

/** Which of the week's local dates an instant falls on. */
function periodDay(days: string[], at: number, timeZone: string): string {
  const local = new Date(at).toLocaleDateString("en-CA", { timeZone });
  return days.includes(local) ? local : (days[0] as string);
}

/** Where the report's charts are: the desk's page for that week. */
export const weeklyReportPath = (week: string) => `/staff/reports/weekly?week=${week}`;

/** The desk's download of that week's tickets: GET /v1/exports/tickets.csv's file for the week. */
export const weekTicketsCsvPath = (week: string) =>
  `/staff/reports/weekly/tickets.csv?week=${week}`;

/** Sends the weekly report to each admin not yet sent this week's; returns how many were queued. */
export async function sendWeeklyReports(deps: ServiceDeps): Promise<number> {
  const now = deps.now();
  let sent = 0;
  for (const school of await deps.db.select().from(schools)) {
    const { dueAt, week } = latestWeeklyReport(now, school.timezone);
    if (now - dueAt > WEEKLY_REPORT_LATE_MS) continue;
    const admins = await deps.db
      .select()
      .from(staff)
      .where(
        and(
          eq(staff.schoolId, school.id),
          eq(staff.active, true),
          eq(staff.role, "admin"),
          or(isNull(staff.weeklyReportSentAt), lt(staff.weeklyReportSentAt, dueAt)),
        ),
      );
    if (admins.length === 0) continue;
    const [first] = admins;
    // Admins see the whole school: one report serves them all.
    const report = await weeklyReport(
      deps.db,
      { staffId: first?.id ?? 0, schoolId: school.id, role: "admin", officeFunction: null },
      week,
      now,
    );
    const link = `${deps.config.publicBaseUrl ?? ""}${weeklyReportPath(week)}`;
    const body = weeklyReportText(week, report.figures, report.worstWait, link);
    for (const admin of admins) {
      const preferences = alertPreferencesFrom(admin.alertPreferences);
      const chat =
        preferences.mode === "off"
          ? undefined
          : await staffChatOf(deps.db).get({ staffId: admin.id, now });
      const uow = new UnitOfWork();
      planSentMark(deps.db, uow, {
        column: "weeklyReportSentAt",
        staffId: admin.id,
        previous: admin.weeklyReportSentAt,
        now,
        guard: "weekly-report",
      });
      if (chat) {
        planOutboxMessage(deps, uow, {
          schoolId: school.id,
          ...chat,
          kind: "alert",
          body,
          sendAt: sendableAt(memberQuietHours(preferences, school.settings), now, school.timezone),
        });
      }
      try {
        await uow.commit(deps.db);
        if (chat) sent += 1;
      } catch (error) {
        if (!(error instanceof WriteConflict)) throw error;
      }
    }
  }
  if (sent > 0) deps.outboxQueued?.();
  return sent;
}
