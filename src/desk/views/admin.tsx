// The admin pages: dead letters with retry, guardrail limits, the staff directory, roster import
// with its row-by-row report, the audit log, and the WhatsApp Web link.
import type { FC } from "hono/jsx";
import type { DeskSession } from "../session";
import { deliveryLabels, schoolTime } from "./labels";
import { Csrf, FieldError, invalidWhen, Layout, Notices, TextField } from "./layout";

const AdminFrame: FC<{ session: DeskSession; title: string; children?: unknown }> = ({
  session,
  title,
  children,
}) => (
  <Layout title={title} session={session} section="admin">
    <p>
      <a href="/staff/admin">← Admin</a>
    </p>
    <h1>{title}</h1>
    {children as never}
  </Layout>
);

export const AdminIndexPage: FC<{ session: DeskSession }> = ({ session }) => {
  const admin = session.viewer.role === "admin";
  const links = [
    {
      href: "/staff/admin/dead-letters",
      label: "Undelivered messages",
      text: "See why, send again.",
    },
    {
      href: "/staff/admin/canned-replies",
      label: "Canned replies",
      text: "Ready answers for replies: add, edit, delete.",
    },
    ...(admin
      ? [
          {
            href: "/staff/admin/guardrails",
            label: "Guardrails",
            text: "Limits for parents' tickets and messages.",
          },
          { href: "/staff/admin/staff", label: "Staff", text: "Add, deactivate, change roles." },
          {
            href: "/staff/admin/roster",
            label: "Roster import",
            text: "Classes, students and guardians from a CSV.",
          },
          { href: "/staff/admin/audit", label: "Audit log", text: "Who changed what, and when." },
          {
            href: "/staff/admin/api-keys",
            label: "API keys",
            text: "Let the school's attendance, fees and grades systems send events.",
          },
          {
            href: "/staff/admin/events",
            label: "School events upload",
            text: "No integration? Attendance, fee reminders and scores from a CSV.",
          },
          {
            href: "/staff/whatsapp-web",
            label: "WhatsApp Web",
            text: "Link the school's WhatsApp.",
          },
        ]
      : []),
  ];
  return (
    <Layout title="Admin" session={session} section="admin">
      <h1>Admin</h1>
      <ul class="queue">
        {links.map((link) => (
          <li class="card">
            <a href={link.href}>
              <strong>{link.label}</strong>
            </a>
            <p class="hint">{link.text}</p>
          </li>
        ))}
      </ul>
    </Layout>
  );
};

export interface DeadLetterRow {
  id: number;
  channel: string;
  address: string;
  kind: string;
  body: string;
  status: string;
  attempts: number;
  lastError: string | null;
  updatedAt: number;
}

export const DeadLettersPage: FC<{
  session: DeskSession;
  status: string;
  rows: DeadLetterRow[];
  nextPage: string | null;
  notice?: string | undefined;
  error?: { id: number; message: string } | undefined;
}> = ({ session, status, rows, nextPage, notice, error }) => (
  <AdminFrame session={session} title="Undelivered messages">
    <Notices notice={notice} />
    <ul class="tabs" aria-label="Which messages">
      {(["dead", "failed", "undelivered"] as const).map((value) => (
        <li>
          <a
            href={`/staff/admin/dead-letters?status=${value}`}
            aria-current={status === value ? "page" : undefined}
          >
            {value === "dead" ? "Given up" : (deliveryLabels[value] ?? value)}
          </a>
        </li>
      ))}
    </ul>
    {rows.length === 0 ? <p>Nothing here.</p> : null}
    <ul class="queue">
      {rows.map((row) => (
        <li class="card">
          <p>
            <strong>#{row.id}</strong> {row.kind.replace("_", " ")} to {row.address} on{" "}
            {row.channel}{" "}
            <span class="hint">
              {row.attempts} attempts · {schoolTime(row.updatedAt, session.timeZone)}
            </span>
          </p>
          <p class="body">{row.body}</p>
          <p>Why: {row.lastError ?? "no reason recorded"}</p>
          <form method="post" action={`/staff/admin/dead-letters/${row.id}/retry`}>
            <Csrf session={session} />
            <input type="hidden" name="status" value={status} />
            <button
              type="submit"
              aria-describedby={error?.id === row.id ? `retry-error-${row.id}` : undefined}
            >
              Send again
            </button>
            <FieldError
              id={`retry-error-${row.id}`}
              message={error?.id === row.id ? error.message : undefined}
            />
          </form>
        </li>
      ))}
    </ul>
    {nextPage ? (
      <a class="button secondary" href={nextPage}>
        Older
      </a>
    ) : null}
  </AdminFrame>
);

export const guardrailFields = [
  ["maxOpenTickets", "Open tickets a parent may have at once"],
  ["cooldownMinutes", "Minutes between a parent's new tickets"],
  ["maxTicketsPerWeek", "New tickets per parent in a rolling week"],
  ["maxReopens", "Reopens of a resolved ticket"],
  ["reopenWindowDays", "Days after resolving that a parent may reopen"],
  ["maxMessagesPerFiveMinutes", "Messages in 5 minutes before the chat pauses"],
] as const;

export const GuardrailsPage: FC<{
  session: DeskSession;
  values: Record<string, string | number>;
  errors?: Record<string, string>;
  notice?: string | undefined;
}> = ({ session, values, errors = {}, notice }) => (
  <AdminFrame session={session} title="Guardrails">
    <Notices notice={notice} />
    <form method="post" action="/staff/admin/guardrails" class="card stack">
      <Csrf session={session} />
      {guardrailFields.map(([name, label]) => (
        <TextField
          id={name}
          label={label}
          inputmode="numeric"
          value={String(values[name] ?? "")}
          error={errors[name]}
        />
      ))}
      <button type="submit">Save limits</button>
    </form>
  </AdminFrame>
);

export interface StaffRow {
  id: number;
  name: string;
  role: string;
  officeFunction: string | null;
  phone?: string;
  active: boolean;
}

export interface StaffDraft {
  title: string;
  firstName: string;
  lastName: string;
  phone: string;
  role: string;
  officeFunction: string;
}

const roles = [
  ["teacher", "Teacher"],
  ["office", "Office"],
  ["admin", "Admin"],
] as const;
const officeFunctions = [
  ["", "—"],
  ["accounts", "Accounts"],
  ["transport", "Transport"],
  ["front", "Front office"],
] as const;

export const StaffPage: FC<{
  session: DeskSession;
  members: StaffRow[];
  draft: StaffDraft;
  errors?: Record<string, string>;
  rowError?: { id: number; message: string } | undefined;
  notice?: string | undefined;
}> = ({ session, members, draft, errors = {}, rowError, notice }) => (
  <AdminFrame session={session} title="Staff">
    <Notices notice={notice} />
    <div class="table-wrap">
      <table class="cards">
        <caption class="visually-hidden">Staff of the school</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Phone</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr>
              <td data-label="Name">{member.name}</td>
              <td data-label="Phone">{member.phone ?? ""}</td>
              <td data-label="Role">
                <form method="post" action={`/staff/admin/staff/${member.id}`} class="row">
                  <Csrf session={session} />
                  <input type="hidden" name="change" value="role" />
                  <select
                    name="role"
                    aria-label={`Role of ${member.name}`}
                    aria-describedby={
                      rowError?.id === member.id ? `staff-error-${member.id}` : undefined
                    }
                  >
                    {roles.map(([value, label]) => (
                      <option value={value} selected={member.role === value}>
                        {label}
                      </option>
                    ))}
                  </select>
                  <select name="officeFunction" aria-label={`Office desk of ${member.name}`}>
                    {officeFunctions.map(([value, label]) => (
                      <option value={value} selected={(member.officeFunction ?? "") === value}>
                        {label}
                      </option>
                    ))}
                  </select>
                  <button type="submit" class="secondary shrink">
                    Save role
                  </button>
                </form>
                <FieldError
                  id={`staff-error-${member.id}`}
                  message={rowError?.id === member.id ? rowError.message : undefined}
                />
              </td>
              <td data-label="Status">
                <form method="post" action={`/staff/admin/staff/${member.id}`}>
                  <Csrf session={session} />
                  <input
                    type="hidden"
                    name="change"
                    value={member.active ? "deactivate" : "activate"}
                  />
                  {member.active ? "Active " : "Inactive "}
                  <button
                    type="submit"
                    class={member.active ? "danger" : "secondary"}
                    aria-label={`${member.active ? "Deactivate" : "Reactivate"} ${member.name}`}
                  >
                    {member.active ? "Deactivate" : "Reactivate"}
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    <form method="post" action="/staff/admin/staff" class="card stack">
      <h2>Add a member</h2>
      <Csrf session={session} />
      <div class="row">
        <div class="shrink">
          <label for="title">Title</label>
          <input id="title" name="title" value={draft.title} size={4} />
        </div>
        <TextField
          id="firstName"
          label="First name"
          required
          value={draft.firstName}
          error={errors.firstName}
        />
        <TextField
          id="lastName"
          label="Last name"
          required
          value={draft.lastName}
          error={errors.lastName}
        />
      </div>
      <TextField
        id="phone"
        label="Mobile number"
        type="tel"
        required
        value={draft.phone}
        error={errors.phone}
      />
      <div class="row">
        <div>
          <label for="new-role">Role</label>
          <select id="new-role" name="role">
            {roles.map(([value, label]) => (
              <option value={value} selected={draft.role === value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="new-function">Office desk (office staff only)</label>
          <select
            id="new-function"
            name="officeFunction"
            {...invalidWhen(errors.officeFunction, "function-error")}
          >
            {officeFunctions.map(([value, label]) => (
              <option value={value} selected={draft.officeFunction === value}>
                {label}
              </option>
            ))}
          </select>
          <FieldError id="function-error" message={errors.officeFunction} />
        </div>
      </div>
      <FieldError id="add-error" message={errors.form} />
      <button type="submit">Add member</button>
    </form>
  </AdminFrame>
);

export interface RosterReportView {
  dryRun: boolean;
  applied: boolean;
  rows: number;
  created: { row: number; entity: string; key: string }[];
  updated: { row: number; entity: string; key: string }[];
  rejected: { row: number; errors: { column: string; message: string }[] }[];
}

export const RosterPage: FC<{
  session: DeskSession;
  report?: RosterReportView | undefined;
  fileError?: string | undefined;
}> = ({ session, report, fileError }) => (
  <AdminFrame session={session} title="Roster import">
    <form
      method="post"
      action="/staff/admin/roster"
      enctype="multipart/form-data"
      class="card stack"
    >
      <Csrf session={session} />
      <label for="csv">Roster CSV</label>
      <input
        id="csv"
        name="csv"
        type="file"
        accept=".csv,text/csv"
        required
        {...invalidWhen(fileError, "csv-error", "csv-hint")}
      />
      <p class="hint" id="csv-hint">
        Columns: admission_no, first_name, last_name, class (or grade and section), guardian_name,
        guardian_phone, and optionally relationship. All rows go in, or none.
      </p>
      <FieldError id="csv-error" message={fileError} />
      <div class="row">
        <button type="submit" name="mode" value="check" class="secondary shrink">
          Check (changes nothing)
        </button>
        <button type="submit" name="mode" value="apply" class="shrink">
          Import
        </button>
      </div>
    </form>
    {report ? <RosterReport report={report} /> : null}
  </AdminFrame>
);

const RosterReport: FC<{ report: RosterReportView }> = ({ report }) => {
  const rows = [
    ...report.rejected.map((r) => ({
      row: r.row,
      outcome: "Refused",
      detail: r.errors.map((error) => `${error.column}: ${error.message}`).join("; "),
    })),
    ...report.created.map((c) => ({ row: c.row, outcome: `New ${c.entity}`, detail: c.key })),
    ...report.updated.map((u) => ({ row: u.row, outcome: `Changed ${u.entity}`, detail: u.key })),
  ].sort((a, b) => a.row - b.row);
  return (
    <section class="card" aria-labelledby="report-heading">
      <h2 id="report-heading">
        {report.rejected.length
          ? `${report.rejected.length} of ${report.rows} rows refused: nothing was written`
          : report.applied
            ? `Imported ${report.rows} rows`
            : `All ${report.rows} rows can be imported (nothing written yet)`}
      </h2>
      <div class="table-wrap">
        <table class="cards">
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Outcome</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr class={row.outcome === "Refused" ? "refused" : undefined}>
                <td data-label="Row">{row.row}</td>
                <td data-label="Outcome">
                  {row.outcome === "Refused" ? <strong class="error">Refused</strong> : row.outcome}
                </td>
                <td data-label="Detail">{row.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
};

export interface AuditRow {
  id: number;
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
  createdAt: string;
}

export const AuditPage: FC<{
  session: DeskSession;
  rows: AuditRow[];
  nextPage: string | null;
  filters: { entity: string; action: string };
}> = ({ session, rows, nextPage, filters }) => (
  <AdminFrame session={session} title="Audit log">
    <form method="get" action="/staff/admin/audit" class="card row" aria-label="Filter the log">
      <div>
        <label for="entity">What (e.g. ticket, staff, school)</label>
        <input id="entity" name="entity" value={filters.entity} />
      </div>
      <div>
        <label for="action">Action (e.g. ticket.reply)</label>
        <input id="action" name="action" value={filters.action} />
      </div>
      <div class="shrink">
        <button type="submit">Show</button>
      </div>
    </form>
    <div class="table-wrap">
      <table class="cards">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">On</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              <td data-label="When">{schoolTime(row.createdAt, session.timeZone)}</td>
              <td data-label="Who">{row.actor}</td>
              <td data-label="Action">{row.action}</td>
              <td data-label="On">
                {row.entity} {row.entityId}
              </td>
              <td data-label="Change">
                <code>
                  {row.before === null ? "" : `${JSON.stringify(row.before)} → `}
                  {row.after === null ? "" : JSON.stringify(row.after)}
                </code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    {nextPage ? (
      <a class="button secondary" href={nextPage}>
        Older
      </a>
    ) : null}
  </AdminFrame>
);

export const WhatsAppWebPage: FC<{
  session: DeskSession;
  /** The in-process channel's state (bots/whatsapp-web), absent where it cannot run. */
  state: string | undefined;
  /** WhatsApp Web runs in the gateway process, whose link the JSON reads. */
  throughGateway: boolean;
}> = ({ session, state, throughGateway }) => (
  <Layout title="WhatsApp Web" session={session} section="admin">
    <p>
      <a href="/staff/admin">← Admin</a>
    </p>
    <h1>Link WhatsApp Web</h1>
    {!throughGateway && (state === undefined || state.startsWith("off")) ? (
      <p class="notice">WhatsApp Web is {state ?? "not set up"}. Nothing to link.</p>
    ) : (
      <section class="card" data-whatsapp-link="/staff/whatsapp-web/link">
        {throughGateway && (
          <p>
            WhatsApp Web runs through the gateway (<code>npm run whatsapp-gateway</code>): this page
            shows the gateway's link.
          </p>
        )}
        <p>
          On the school's phone: WhatsApp → Settings → Linked devices → Link a device, then scan the
          code.
        </p>
        <p id="wa-state" role="status" aria-live="polite">
          State: {throughGateway ? "asking the gateway…" : state?.replace(/^on: /, "")}
        </p>
        <p id="wa-error" class="error" role="alert" />
        <img id="wa-qr" class="qr" alt="QR code to scan with WhatsApp" hidden />
        <noscript>This page needs JavaScript to show the code as it changes.</noscript>
      </section>
    )}
  </Layout>
);
