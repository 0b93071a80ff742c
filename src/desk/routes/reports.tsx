// /staff/reports/weekly: the weekly report page the admins' Monday summary links to; every member
// sees it over the tickets they may see.
import { Hono } from "hono";
import { addDays, dateText, latestWeeklyReport, mondayOf } from "../../domain";
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

export function reportRoutes(deps: DeskDeps) {
  return new Hono<DeskEnv>().get("/weekly", async (c) => {
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
