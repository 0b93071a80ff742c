// The admin's upload of school events as CSV: pick or paste a file, see what would be sent (events,
// children, refused rows by row and column), then send; the example file and its columns.
import type { FC } from "hono/jsx";
import { EVENT_CSV_COLUMNS } from "../../school-events/events-csv";
import type { EventRejectReason } from "../../services/school-events";
import type { EventsCsvReport } from "../../services/school-events-csv";
import type { DeskSession } from "../session";
import { Csrf, FieldError, invalidWhen, Layout } from "./layout";

const eventLabels: Record<string, string> = {
  "attendance.marked": "Attendance",
  "fee.reminder": "Fee reminder",
  "scores.published": "Scores published",
};

/** Short enough for a table cell; the API's EVENT_REJECT_REASONS say the same at length. */
const notToldLabels: Record<EventRejectReason, string> = {
  unknown_admission_number: "no such admission number",
  no_reachable_guardian: "no guardian can be reached",
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const EventsUploadPage: FC<{
  session: DeskSession;
  /** The file as last sent: kept so a clean check can be sent without choosing it again. */
  csv?: string | undefined;
  report?: EventsCsvReport | undefined;
  fileError?: string | undefined;
}> = ({ session, csv, report, fileError }) => (
  <Layout title="School events upload" session={session} section="admin">
    <p>
      <a href="/staff/admin">← Admin</a>
    </p>
    <h1>School events upload</h1>
    <p class="hint">
      For a school without an integration: attendance, fee reminders and published scores from a
      spreadsheet, one row per child. Each guardian of each child hears about it in their own
      language. Systems that can send events themselves use an{" "}
      <a href="/staff/admin/api-keys">API key</a> instead.
    </p>
    <form
      method="post"
      action="/staff/admin/events"
      enctype="multipart/form-data"
      class="card stack"
    >
      <Csrf session={session} />
      <label for="csv">Events CSV</label>
      <input
        id="csv"
        name="csv"
        type="file"
        accept=".csv,text/csv"
        {...invalidWhen(fileError, "csv-error", "csv-hint")}
      />
      <label for="pasted">Or paste the rows</label>
      <textarea id="pasted" name="pasted" rows={5} spellcheck={false}>
        {report?.applied ? "" : (csv ?? "")}
      </textarea>
      <p class="hint" id="csv-hint">
        Columns: {EVENT_CSV_COLUMNS.join(", ")}. Always type (attendance.marked, fee.reminder or
        scores.published) and admission_no; date, period and status (absent or late) for attendance;
        amount, currency and due_date for fees; title and url for scores. Rows with the same type
        and fields are one event. Any refused row sends nothing, and the same file sent again sends
        nothing twice. <a href="/staff/admin/events/example.csv">Download an example CSV</a>.
      </p>
      <FieldError id="csv-error" message={fileError} />
      <div class="row">
        <button type="submit" name="mode" value="check" class="secondary shrink">
          Check (sends nothing)
        </button>
        <button type="submit" name="mode" value="apply" class="shrink">
          Send
        </button>
      </div>
    </form>
    {report ? <EventsReport session={session} report={report} csv={csv ?? ""} /> : null}
  </Layout>
);

/** One sent event's outcome: who was told, and each child whose guardians were not. */
function outcomeOf(result: NonNullable<EventsCsvReport["events"][number]["result"]>): string {
  const told = result.messages
    ? `Guardians of ${plural(result.accepted, "child", "children")}: ${plural(result.messages, "message", "messages")} queued`
    : "";
  const notTold = result.rejected
    .map((r) => `${r.admissionNumber} (${notToldLabels[r.reason]})`)
    .join(", ");
  if (!notTold) return told;
  return told ? `${told}; not told: ${notTold}` : `Not told: ${notTold}`;
}

/** What actually went out: a sent file that reached no family must not read as done. */
const SentSummary: FC<{ report: EventsCsvReport }> = ({ report }) => {
  const messages = report.events.reduce((sum, event) => sum + (event.result?.messages ?? 0), 0);
  return messages ? (
    <p>{plural(messages, "message", "messages")} queued for the families.</p>
  ) : (
    <p class="error">
      No family could be reached: nothing was queued. The children's guardians need a phone on file
      or a chat they have verified.
    </p>
  );
};

const EventsReport: FC<{ session: DeskSession; report: EventsCsvReport; csv: string }> = ({
  session,
  report,
  csv,
}) => {
  const heading = report.rejected.length
    ? `${report.rejected.length} of ${report.rows} rows refused: nothing was sent`
    : report.applied
      ? `Sent ${plural(report.events.length, "event", "events")} from ${plural(report.rows, "row", "rows")}`
      : `All ${plural(report.rows, "row", "rows")} can be sent as ${plural(report.events.length, "event", "events")} (nothing sent yet)`;
  return (
    <section class="card stack" aria-labelledby="report-heading">
      <h2 id="report-heading">{heading}</h2>
      {report.applied ? <SentSummary report={report} /> : null}
      {report.rejected.length ? (
        <div class="table-wrap">
          <table class="cards">
            <caption class="visually-hidden">Refused rows</caption>
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Column</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {report.rejected.flatMap((rejection) =>
                rejection.errors.map((error) => (
                  <tr class="refused">
                    <td data-label="Row">{rejection.row}</td>
                    <td data-label="Column">
                      <strong class="error">{error.column}</strong>
                    </td>
                    <td data-label="Why">{error.message}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      ) : null}
      {report.rejected.length && report.events.length ? (
        <p class="hint">Once the refused rows are fixed, the other rows would send:</p>
      ) : null}
      {report.events.length ? (
        <div class="table-wrap">
          <table class="cards">
            <caption class="visually-hidden">Events in the file</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Rows</th>
                <th scope="col">Who is told</th>
              </tr>
            </thead>
            <tbody>
              {report.events.map((event) => (
                <tr>
                  <td data-label="Event">{eventLabels[event.type] ?? event.type}</td>
                  <td data-label="Rows">{event.rows.join(", ")}</td>
                  <td data-label="Who is told">
                    {event.result
                      ? outcomeOf(event.result)
                      : `The guardians of ${plural(event.children, "child", "children")}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {report.applied ? (
        <p class="hint">Sending this file again sends nothing twice.</p>
      ) : report.rejected.length === 0 && report.events.length > 0 ? (
        <form method="post" action="/staff/admin/events" enctype="multipart/form-data">
          <Csrf session={session} />
          <input type="hidden" name="pasted" value={csv} />
          <button type="submit" name="mode" value="apply">
            Send {plural(report.events.length, "event", "events")}
          </button>
          <p class="hint">Sending the same file again later sends nothing twice.</p>
        </form>
      ) : null}
    </section>
  );
};
