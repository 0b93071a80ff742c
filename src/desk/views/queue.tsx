// The ticket queue: mine / unassigned / all, filters, search and jump to a reference, newest
// activity first, unread marks, last-message previews and SLA due times.
import type { FC } from "hono/jsx";
import type { DeskSession } from "../session";
import { categoryLabels, schoolTime, statusLabels } from "./labels";
import { FieldError, invalidWhen, Layout } from "./layout";

export interface QueueFilters {
  view: "mine" | "unassigned" | "all";
  status?: string | undefined;
  category?: string | undefined;
  classId?: number | undefined;
  sla?: "breached" | undefined;
  q?: string | undefined;
}

export interface QueueTicket {
  reference: string;
  status: string;
  category: string;
  priority: string;
  guardian: { name: string };
  student: { name: string; className: string } | null;
  updatedAt: string;
  firstResponseDueAt: string | null;
  slaBreached: boolean;
  assignee: string | null;
  unread: boolean;
  preview: { body: string; internal: boolean; authorType: string } | null;
}

export interface QueueProps {
  session: DeskSession;
  filters: QueueFilters;
  tickets: QueueTicket[];
  classes: { id: number; name: string }[];
  nextPage: string | null;
  timeZone: string;
  errors?: { q?: string };
}

const views = [
  { key: "mine", label: "Mine" },
  { key: "unassigned", label: "Unassigned" },
  { key: "all", label: "All I can see" },
] as const;

/** The queue's URL for another view with the same filters. */
export function queueUrl(filters: QueueFilters, overrides: Partial<QueueFilters> = {}) {
  const merged = { ...filters, ...overrides };
  const params = new URLSearchParams();
  params.set("view", merged.view);
  if (merged.status) params.set("status", merged.status);
  if (merged.category) params.set("category", merged.category);
  if (merged.classId) params.set("class", String(merged.classId));
  if (merged.sla) params.set("sla", merged.sla);
  if (merged.q) params.set("q", merged.q);
  return `/staff/tickets?${params}`;
}

export const QueueList: FC<{
  tickets: QueueTicket[];
  nextPage: string | null;
  timeZone: string;
}> = ({ tickets, nextPage, timeZone }) => (
  <div data-live="queue">
    <p class="hint" role="status" aria-live="polite">
      {tickets.length === 0
        ? "No tickets here."
        : `${tickets.length}${nextPage ? "+" : ""} ticket${tickets.length === 1 && !nextPage ? "" : "s"}`}
    </p>
    <ul class="queue">
      {tickets.map((ticket) => (
        <li class={ticket.unread ? "unread" : undefined}>
          <a class="ticket" href={`/staff/tickets/${ticket.reference}`}>
            <span>
              <span class="ref">{ticket.reference}</span>
              {ticket.unread ? <span class="visually-hidden"> (unread)</span> : null}{" "}
              {ticket.guardian.name}
              {ticket.student ? ` · ${ticket.student.name}, ${ticket.student.className}` : ""}
            </span>
            <span class="due">
              {ticket.slaBreached ? (
                <span class="breached">SLA breached</span>
              ) : ticket.firstResponseDueAt && ticket.status === "open" ? (
                `Answer by ${schoolTime(ticket.firstResponseDueAt, timeZone)}`
              ) : (
                schoolTime(ticket.updatedAt, timeZone)
              )}
            </span>
            <span class="meta">
              <span class="badge">{statusLabels[ticket.status] ?? ticket.status}</span>{" "}
              <span class="badge">{categoryLabels[ticket.category] ?? ticket.category}</span>{" "}
              {ticket.priority === "urgent" ? <span class="badge urgent">Urgent</span> : null}{" "}
              {ticket.assignee ? `→ ${ticket.assignee}` : "Unassigned"}
            </span>
            <span class="preview">
              {ticket.preview
                ? `${ticket.preview.internal ? "Note: " : ticket.preview.authorType === "staff" ? "Staff: " : ""}${ticket.preview.body}`
                : ""}
            </span>
          </a>
        </li>
      ))}
    </ul>
    {nextPage ? (
      <a class="button secondary" href={nextPage}>
        Older tickets
      </a>
    ) : null}
  </div>
);

export const QueuePage: FC<QueueProps> = ({
  session,
  filters,
  tickets,
  classes,
  nextPage,
  timeZone,
  errors = {},
}) => (
  <Layout title="Tickets" session={session} section="tickets">
    <h1>Tickets</h1>
    <ul class="tabs" aria-label="Which tickets">
      {views.map((view) => (
        <li>
          <a
            href={queueUrl(filters, { view: view.key })}
            aria-current={filters.view === view.key ? "page" : undefined}
          >
            {view.label}
          </a>
        </li>
      ))}
    </ul>
    <form method="get" action="/staff/tickets" class="card row" aria-label="Find tickets">
      <input type="hidden" name="view" value={filters.view} />
      <div>
        <label for="q">Search, or go to a reference</label>
        <input
          id="q"
          name="q"
          type="search"
          placeholder="T-1001, or words"
          value={filters.q ?? ""}
          {...invalidWhen(errors.q, "q-error")}
        />
        <FieldError id="q-error" message={errors.q} />
      </div>
      <div>
        <label for="status">Status</label>
        <select id="status" name="status">
          <option value="">Any</option>
          {Object.entries(statusLabels).map(([value, label]) => (
            <option value={value} selected={filters.status === value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="category">Category</label>
        <select id="category" name="category">
          <option value="">Any</option>
          {Object.entries(categoryLabels).map(([value, label]) => (
            <option value={value} selected={filters.category === value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for="class">Class</label>
        <select id="class" name="class">
          <option value="">Any</option>
          {classes.map((item) => (
            <option value={String(item.id)} selected={filters.classId === item.id}>
              {item.name}
            </option>
          ))}
        </select>
      </div>
      <div class="shrink">
        <label class="check">
          <input type="checkbox" name="sla" value="breached" checked={filters.sla === "breached"} />
          SLA breached
        </label>
      </div>
      <div class="shrink">
        <button type="submit">Show</button>
      </div>
    </form>
    <QueueList tickets={tickets} nextPage={nextPage} timeZone={timeZone} />
  </Layout>
);
