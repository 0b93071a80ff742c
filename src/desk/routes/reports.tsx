// /staff/reports/weekly: the weekly report page the admins' Monday summary links to, and its week's
// tickets as a CSV download; every member sees them over the tickets they may see.
import { Hono } from "hono";
import { addDays, dateText, latestWeeklyReport, mondayOf } from "../../domain";
import { streamCsv } from "../../http/csv-stream";
import { ticketExportPages } from "../../services/exports";
import { loadSchoolClock, periodInstants } from "../../services/ticket-reports";
import { weeklyReport } from "../../services/weekly-report";
import type { DeskDeps } from "../deps";
import type { DeskEnv } from "../session";
import { renderPage } from "../views/render";
import { WeeklyReportPage } from "../views/weekly-report";

const MONDAY = /^\d{4}-\d{2}-\d{2}$/;

/** The asked week's Monday, or null when `week` is not a date. */
function mondayFrom(week: string): string | null {
  if (!MONDAY.test(week) || !Number.isFinite(Date.parse(week))) return null;
  if (dateText(Date.parse(week)) !== week) return null;
  return dateText(mondayOf(Date.parse(week)));
}

/** The desk's download of a week's tickets: GET /v1/exports/tickets.csv's file for that week. */
export const weekTicketsCsvPath = (week: string) =>
  `/staff/reports/weekly/tickets.csv?week=${week}`;

export function reportRoutes(deps: DeskDeps) {
  return new Hono<DeskEnv>()
    .get("/weekly/tickets.csv", async (c) => {
      const week = mondayFrom(c.req.query("week") ?? "");
      if (week === null) return c.text("week must be a date as YYYY-MM-DD", 422);
      const viewer = c.get("desk").viewer;
      const { timeZone, clock } = await loadSchoolClock(deps.db, viewer.schoolId);
      const lastDay = dateText(addDays(Date.parse(week), 6));
      const { from, to } = periodInstants({ from: week, to: lastDay }, timeZone);
      const pages = ticketExportPages(deps.db, viewer, { from, to, now: deps.now(), clock });
      return streamCsv(c, `tickets-${week}-to-${lastDay}.csv`, pages);
    })
    .get("/weekly", async (c) => {
      const session = c.get("desk");
      const now = deps.now();
      const latest = latestWeeklyReport(now, session.timeZone).week;
      const asked = c.req.query("week");
      const week = asked === undefined ? latest : mondayFrom(asked);
      if (week === null) return c.text("week must be a date as YYYY-MM-DD", 422);
      const report = await weeklyReport(deps.db, session.viewer, week, now);
      const nextWeek = dateText(addDays(Date.parse(week), 7));
      return renderPage(
        c,
        <WeeklyReportPage
          session={session}
          report={report}
          previousWeek={dateText(addDays(Date.parse(week), -7))}
          nextWeek={nextWeek <= latest ? nextWeek : null}
        />,
      );
    });
}
