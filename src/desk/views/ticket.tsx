// One ticket: the thread (parent, staff replies with their delivery state, internal notes, changes),
// the family's context, and the forms to reply, add a note and change the ticket.
import type { FC } from "hono/jsx";
import type { DeskSession } from "../session";
import { categoryLabels, channelLabel, deliveryLabels, schoolTime, statusLabels } from "./labels";
import { Csrf, FieldError, invalidWhen, Layout, Notices } from "./layout";

export interface ThreadEntry {
  kind: "parent" | "staff" | "note" | "system" | "change";
  at: number;
  who: string;
  body: string;
  delivery?: { status: string; channel: string; lastError: string | null } | undefined;
}

export interface TicketView {
  id: number;
  reference: string;
  status: string;
  category: string;
  priority: string;
  assigneeStaffId: number | null;
  channel: string;
  guardian: { id: number; name: string };
  student: { name: string; className: string } | null;
  firstResponseDueAt: string | null;
  slaBreached: boolean;
  rating: number | null;
  guardrails: { openTickets: number; maxOpenTickets: number };
  flag: { reason: string | null } | null;
}

export interface TicketErrors {
  body?: string;
  cannedReplyId?: string;
  note?: string;
  status?: string;
  assigneeStaffId?: string;
  form?: string;
  flagReason?: string;
}

export interface TicketPageProps {
  session: DeskSession;
  ticket: TicketView;
  thread: ThreadEntry[];
  canned: { id: number; title: string; filled: string }[];
  staff: { id: number; name: string }[];
  timeZone: string;
  notice?: string | undefined;
  errors?: TicketErrors;
  /** What the member typed, kept when a form comes back with an error. */
  draft?: { body?: string; note?: string; flagReason?: string };
}

/** Still on its way: the page keeps polling until a reply is delivered, read or failed. */
const pending = (status: string) => ["pending", "sending", "sent"].includes(status);

export const Thread: FC<{ ticketId: number; thread: ThreadEntry[]; timeZone: string }> = ({
  ticketId,
  thread,
  timeZone,
}) => (
  <ol class="thread" data-live="thread" data-ticket-id={String(ticketId)} aria-label="Conversation">
    {thread.map((entry) => (
      <li class={entry.kind}>
        <span class="who">
          {entry.kind === "note" ? `Internal note · ${entry.who}` : entry.who}
        </span>{" "}
        <time datetime={new Date(entry.at).toISOString()}>{schoolTime(entry.at, timeZone)}</time>
        {entry.delivery ? (
          <>
            {" "}
            <span
              class={`badge ${entry.delivery.status}`}
              data-delivery={pending(entry.delivery.status) ? "pending" : "settled"}
            >
              {deliveryLabels[entry.delivery.status] ?? entry.delivery.status}
            </span>
          </>
        ) : null}
        <p class="body">{entry.body}</p>
        {entry.delivery?.lastError && !pending(entry.delivery.status) ? (
          <p class="hint">Why: {entry.delivery.lastError}</p>
        ) : null}
      </li>
    ))}
  </ol>
);

/** Flag the parent (their new tickets go to an admin), or clear the flag: office staff and admins. */
const FlagForm: FC<{
  session: DeskSession;
  ticket: TicketView;
  error: string | undefined;
  reason: string;
}> = ({ session, ticket, error, reason }) =>
  ticket.flag ? (
    <form
      method="post"
      action={`/staff/tickets/${ticket.reference}/unflag`}
      class="card stack"
      aria-labelledby="flag-heading"
    >
      <h2 id="flag-heading">Flag</h2>
      <Csrf session={session} />
      <p>
        {ticket.guardian.name} is flagged{ticket.flag.reason ? `: ${ticket.flag.reason}` : "."}
      </p>
      <button type="submit" class="secondary">
        Clear the flag
      </button>
    </form>
  ) : (
    <form
      method="post"
      action={`/staff/tickets/${ticket.reference}/flag`}
      class="card stack"
      aria-labelledby="flag-heading"
    >
      <h2 id="flag-heading">Flag</h2>
      <Csrf session={session} />
      <label for="flag-reason">
        Why flag {ticket.guardian.name}? (their new tickets go to an admin)
      </label>
      <input
        id="flag-reason"
        name="reason"
        maxlength={500}
        value={reason}
        {...invalidWhen(error, "flag-error")}
      />
      <FieldError id="flag-error" message={error} />
      <button type="submit" class="secondary">
        Flag this parent
      </button>
    </form>
  );

export const TicketPage: FC<TicketPageProps> = ({
  session,
  ticket,
  thread,
  canned,
  staff,
  timeZone,
  notice,
  errors = {},
  draft = {},
}) => (
  <Layout title={ticket.reference} session={session} section="tickets">
    <p>
      <a href="/staff/tickets">← Tickets</a>
    </p>
    <h1>
      {ticket.reference} · {ticket.guardian.name}
    </h1>
    <Notices notice={notice} error={errors.form} />
    <div class="ticket-layout">
      <div>
        <Thread ticketId={ticket.id} thread={thread} timeZone={timeZone} />
        <form
          method="post"
          action={`/staff/tickets/${ticket.reference}/reply`}
          class="card stack"
          aria-labelledby="reply-heading"
        >
          <h2 id="reply-heading">Reply to {ticket.guardian.name}</h2>
          <Csrf session={session} />
          {canned.length ? (
            <div>
              <label for="canned">Canned reply</label>
              <select
                id="canned"
                name="cannedReplyId"
                aria-describedby={errors.cannedReplyId ? "canned-error" : "canned-hint"}
              >
                <option value="">None: write my own</option>
                {canned.map((reply) => (
                  <option value={String(reply.id)} data-filled={reply.filled}>
                    {reply.title}
                  </option>
                ))}
              </select>
              <p class="hint" id="canned-hint">
                Fills the text below, with the parent's and child's names, for you to check.
              </p>
              <FieldError id="canned-error" message={errors.cannedReplyId} />
            </div>
          ) : null}
          <label for="reply-body">
            Message (goes to the parent on {channelLabel(ticket.channel)})
          </label>
          <textarea
            id="reply-body"
            name="body"
            maxlength={4000}
            {...invalidWhen(errors.body, "reply-error")}
          >
            {draft.body ?? ""}
          </textarea>
          <FieldError id="reply-error" message={errors.body} />
          <button type="submit">Send reply</button>
        </form>
        <form
          method="post"
          action={`/staff/tickets/${ticket.reference}/note`}
          class="card stack"
          aria-labelledby="note-heading"
        >
          <h2 id="note-heading">Internal note</h2>
          <Csrf session={session} />
          <label for="note-body">Note for staff (never sent to the parent)</label>
          <textarea
            id="note-body"
            name="body"
            maxlength={4000}
            {...invalidWhen(errors.note, "note-error")}
          >
            {draft.note ?? ""}
          </textarea>
          <FieldError id="note-error" message={errors.note} />
          <button type="submit" class="secondary">
            Add note
          </button>
        </form>
      </div>
      <aside>
        <section class="card" aria-labelledby="about-heading">
          <h2 id="about-heading">About</h2>
          <dl class="facts">
            <dt>Child</dt>
            <dd>{ticket.student ? `${ticket.student.name}, ${ticket.student.className}` : "—"}</dd>
            <dt>Parent</dt>
            <dd>
              {ticket.guardian.name}{" "}
              {ticket.flag ? (
                <span class="badge flagged">
                  Flagged{ticket.flag.reason ? `: ${ticket.flag.reason}` : ""}
                </span>
              ) : null}
            </dd>
            <dt>Writes on</dt>
            <dd>{channelLabel(ticket.channel)}</dd>
            <dt>Open tickets</dt>
            <dd>
              {ticket.guardrails.openTickets} of at most {ticket.guardrails.maxOpenTickets}
            </dd>
            <dt>Answer by</dt>
            <dd>
              {ticket.firstResponseDueAt ? schoolTime(ticket.firstResponseDueAt, timeZone) : "—"}
              {ticket.slaBreached ? <span class="breached"> (SLA breached)</span> : null}
            </dd>
            <dt>Rating</dt>
            <dd>{ticket.rating === null ? "Not rated" : `${ticket.rating} of 5`}</dd>
          </dl>
        </section>
        {session.viewer.role === "teacher" ? null : (
          <FlagForm
            session={session}
            ticket={ticket}
            error={errors.flagReason}
            reason={draft.flagReason ?? ""}
          />
        )}
        <form
          method="post"
          action={`/staff/tickets/${ticket.reference}/properties`}
          class="card stack"
          aria-labelledby="change-heading"
        >
          <h2 id="change-heading">Ticket</h2>
          <Csrf session={session} />
          <label for="status">Status</label>
          <select id="status" name="status" {...invalidWhen(errors.status, "status-error")}>
            {Object.entries(statusLabels).map(([value, label]) => (
              <option value={value} selected={ticket.status === value}>
                {label}
              </option>
            ))}
          </select>
          <FieldError id="status-error" message={errors.status} />
          <label for="assignee">Assignee</label>
          <select
            id="assignee"
            name="assigneeStaffId"
            {...invalidWhen(errors.assigneeStaffId, "assignee-error")}
          >
            {ticket.assigneeStaffId === null ? <option value="">Unassigned</option> : null}
            {staff.map((member) => (
              <option value={String(member.id)} selected={ticket.assigneeStaffId === member.id}>
                {member.name}
              </option>
            ))}
          </select>
          <FieldError id="assignee-error" message={errors.assigneeStaffId} />
          <label for="category">Category (changing it re-routes the ticket)</label>
          <select id="category" name="category">
            {Object.entries(categoryLabels).map(([value, label]) => (
              <option value={value} selected={ticket.category === value}>
                {label}
              </option>
            ))}
          </select>
          <label for="priority">Priority</label>
          <select id="priority" name="priority">
            <option value="normal" selected={ticket.priority === "normal"}>
              Normal
            </option>
            <option value="urgent" selected={ticket.priority === "urgent"}>
              Urgent
            </option>
          </select>
          <button type="submit">Save changes</button>
        </form>
      </aside>
    </div>
  </Layout>
);
