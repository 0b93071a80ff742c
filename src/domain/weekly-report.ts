// The weekly report (pure): when it is due (Monday 07:00 school time), which week it covers, and
// the chat summary an admin gets: five numbers, the week's worst wait and a link to the charts.
import { addDays, instantOfLocalTime, localTimeOf } from "./local-time";
import type { TicketFigures } from "./ticket-figures";

const DAY = 86_400_000;
/** Monday, 07:00 local: before the school day, after the quiet hours. */
export const WEEKLY_REPORT_MINUTE = 7 * 60;

/** The local date (ms, as local-time.ts writes dates) of the Monday of the week holding `date`. */
export const mondayOf = (date: number) => date - ((new Date(date).getUTCDay() + 6) % 7) * DAY;

export const dateText = (date: number) => new Date(date).toISOString().slice(0, 10);

/** The latest Monday 07:00 (school time) at or before `at`, and the week before it, which it reports. */
export function latestWeeklyReport(at: number, timeZone: string) {
  const { date } = localTimeOf(at, timeZone);
  let monday = mondayOf(date);
  let due = instantOfLocalTime(monday, WEEKLY_REPORT_MINUTE, timeZone);
  if (due > at) {
    monday = addDays(monday, -7);
    due = instantOfLocalTime(monday, WEEKLY_REPORT_MINUTE, timeZone);
  }
  return { dueAt: due, week: dateText(addDays(monday, -7)) };
}

export interface WorstWait {
  reference: string;
  /** Working hours from the request to its first answer, or until now while unanswered. */
  hours: number;
  answered: boolean;
  category: string;
}

const hoursText = (hours: number | null) => (hours === null ? "–" : `${hours} h`);
const percent = (rate: number | null) => (rate === null ? "–" : `${Math.round(rate * 100)} %`);

/** "Week of 2026-11-16: 42 requests · first answer 3.5 h (median) · …" */
export function weeklyReportText(
  week: string,
  figures: TicketFigures,
  worst: WorstWait | null,
  link: string,
): string {
  const csat =
    figures.csat.average === null
      ? "no ratings"
      : `rated ${figures.csat.average}/5 (${figures.csat.count})`;
  return [
    `Weekly report, week of ${week}:`,
    `• ${figures.tickets} requests`,
    `• first answer ${hoursText(figures.firstResponse.medianHours)} (median, working hours)`,
    `• ${figures.slaBreached} past the SLA (${percent(figures.slaBreachRate)})`,
    `• ${figures.resolution.count} resolved`,
    `• ${csat}`,
    worst
      ? `Longest wait: ${worst.reference}, ${worst.hours} working hours${worst.answered ? "" : ", still unanswered"}.`
      : "No requests, so no waits.",
    `Charts: ${link}`,
  ].join("\n");
}
