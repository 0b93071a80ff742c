// The weekly report page: a week's requests, waits, SLA, resolutions and ratings over the tickets
// the member may see, as figures, SVG charts and a table by category.
import type { FC } from "hono/jsx";
import { type WeeklyReport, weekTicketsCsvPath } from "../../services/weekly-report";
import type { DeskSession } from "../session";
import { BarChart } from "./charts";
import { categoryLabels } from "./labels";
import { Layout } from "./layout";

const hours = (value: number | null) => (value === null ? "–" : `${value} h`);
const percent = (rate: number | null) => (rate === null ? "–" : `${Math.round(rate * 100)} %`);
const weekday = (date: string) =>
  new Date(date).toLocaleDateString("en-GB", { weekday: "short", day: "numeric", timeZone: "UTC" });

export const WeeklyReportPage: FC<{
  session: DeskSession;
  report: WeeklyReport;
  previousWeek: string;
  nextWeek: string | null;
}> = ({ session, report, previousWeek, nextWeek }) => {
  const { figures } = report;
  const scope =
    session.viewer.role === "admin"
      ? "the whole school"
      : session.viewer.role === "teacher"
        ? "your classes and your own tickets"
        : "your office's tickets and your own";
  return (
    <Layout title={`Weekly report ${report.week}`} session={session} section="reports">
      <h1>Weekly report</h1>
      <p>
        {report.week} to {report.lastDay}, {scope}. Waits are in working hours.
      </p>
      <nav class="week-nav" aria-label="Weeks">
        <a href={`/staff/reports/weekly?week=${previousWeek}`}>← Week before</a>
        {nextWeek ? <a href={`/staff/reports/weekly?week=${nextWeek}`}>Week after →</a> : null}
      </nav>
      <p class="downloads">
        <a href={weekTicketsCsvPath(report.week)} download>
          Download this week's tickets (CSV)
        </a>
      </p>
      <dl class="figures">
        <div>
          <dt class="figure-name">Requests</dt>
          <dd class="figure-value">{figures.tickets}</dd>
        </div>
        <div>
          <dt class="figure-name">First answer (median)</dt>
          <dd class="figure-value">{hours(figures.firstResponse.medianHours)}</dd>
        </div>
        <div>
          <dt class="figure-name">Past the SLA</dt>
          <dd class="figure-value">
            {figures.slaBreached} ({percent(figures.slaBreachRate)})
          </dd>
        </div>
        <div>
          <dt class="figure-name">Resolved</dt>
          <dd class="figure-value">{figures.resolution.count}</dd>
        </div>
        <div>
          <dt class="figure-name">Parents' rating</dt>
          <dd class="figure-value">
            {figures.csat.average === null ? "–" : `${figures.csat.average}/5`}
            <small> ({figures.csat.count})</small>
          </dd>
        </div>
      </dl>
      <p>
        {report.worstWait ? (
          <>
            Longest wait:{" "}
            <a href={`/staff/tickets/${report.worstWait.reference}`}>
              {report.worstWait.reference}
            </a>{" "}
            ({categoryLabels[report.worstWait.category] ?? report.worstWait.category}),{" "}
            {report.worstWait.hours} working hours
            {report.worstWait.answered ? "" : ", still unanswered"}.
          </>
        ) : (
          "No requests this week."
        )}
      </p>
      <section class="card">
        <BarChart
          id="by-day"
          title="Requests by day"
          bars={report.byDay.map((day) => ({
            label: weekday(day.date),
            value: day.tickets,
            text: String(day.tickets),
          }))}
        />
        <BarChart
          id="first-answer"
          title="First answer by topic (median, working hours)"
          bars={report.byCategory.map((group) => ({
            label: categoryLabels[group.category] ?? group.category,
            value: group.firstResponse.medianHours ?? 0,
            text: hours(group.firstResponse.medianHours),
            warn: (group.firstResponse.medianHours ?? 0) > report.dueHours,
          }))}
        />
        <BarChart
          id="breaches"
          title="Past the SLA by topic"
          bars={report.byCategory.map((group) => ({
            label: categoryLabels[group.category] ?? group.category,
            value: group.slaBreachRate ?? 0,
            text: percent(group.slaBreachRate),
            warn: (group.slaBreachRate ?? 0) > 0,
          }))}
        />
      </section>
      <h2 id="by-topic">By topic</h2>
      <div class="table-wrap">
        <table class="cards" aria-labelledby="by-topic">
          <thead>
            <tr>
              <th scope="col">Topic</th>
              <th scope="col">Requests</th>
              <th scope="col">First answer (median / p90)</th>
              <th scope="col">Past the SLA</th>
              <th scope="col">Reopened</th>
              <th scope="col">Rating</th>
            </tr>
          </thead>
          <tbody>
            {report.byCategory.map((group) => (
              <tr>
                <td data-label="Topic">{categoryLabels[group.category] ?? group.category}</td>
                <td data-label="Requests">{group.tickets}</td>
                <td data-label="First answer (median / p90)">
                  {hours(group.firstResponse.medianHours)} / {hours(group.firstResponse.p90Hours)}
                </td>
                <td data-label="Past the SLA">{percent(group.slaBreachRate)}</td>
                <td data-label="Reopened">{percent(group.reopenRate)}</td>
                <td data-label="Rating">
                  {group.csat.average === null
                    ? "–"
                    : `${group.csat.average}/5 (${group.csat.count})`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
};
