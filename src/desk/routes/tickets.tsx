// /staff/tickets: the queue and one ticket's page, with the reply, note and change forms. Every
// read and write goes through the services GET/POST/PATCH /v1/tickets use.
import { type Context, Hono } from "hono";
import { ticketCategories, ticketStatuses } from "../../domain";
import { FlagBody, NoteBody, ReplyBody, TicketPatchBody } from "../../routes/v1/schemas";
import { fillCannedReply, findCannedReply, listCannedReplies } from "../../services/canned-replies";
import { setGuardianFlag } from "../../services/flags";
import { listClassesFor, listStaff } from "../../services/school-directory";
import {
  guardianFlag,
  lastMessages,
  markRead,
  readMarks,
  replyDeliveries,
  ticketChanges,
  ticketIdOfReference,
} from "../../services/ticket-activity";
import { applyTicketPatch, type TicketPatch } from "../../services/ticket-changes";
import { decodeCursor } from "../../services/ticket-order";
import {
  addInternalNote,
  findTicketForStaff,
  getTicketForStaff,
  listTicketsForStaff,
  replyToTicket,
} from "../../services/tickets";
import type { DeskDeps } from "../deps";
import type { DeskEnv, DeskSession } from "../session";
import { categoryLabels, statusLabels } from "../views/labels";
import { type QueueFilters, QueueList, QueuePage, queueUrl } from "../views/queue";
import { renderPage } from "../views/render";
import { Thread, type ThreadEntry, type TicketErrors, TicketPage } from "../views/ticket";

const PAGE_SIZE = 30;

/** Who may flag or unflag a parent: the rule POST/DELETE /v1/guardians/{id}/flag apply. */
const mayFlag = (viewer: { role: string }) => viewer.role === "admin" || viewer.role === "office";
const FLAG_REFUSAL = "Only office staff and admins may flag or unflag a parent";

const oneOf = <T extends string>(values: readonly T[], value: unknown): T | undefined =>
  values.includes(value as T) ? (value as T) : undefined;

const text = (form: Record<string, unknown>, name: string) =>
  typeof form[name] === "string" ? (form[name] as string).trim() : "";

function readFilters(c: Context): QueueFilters {
  const classId = Number(c.req.query("class"));
  return {
    view: oneOf(["mine", "unassigned", "all"] as const, c.req.query("view")) ?? "mine",
    status: oneOf(ticketStatuses, c.req.query("status")),
    category: oneOf(ticketCategories, c.req.query("category")),
    classId: Number.isInteger(classId) && classId > 0 ? classId : undefined,
    sla: c.req.query("sla") === "breached" ? "breached" : undefined,
    q: c.req.query("q")?.trim() || undefined,
  };
}

/** What a ticket.updated event changed, in words. */
function describeChange(
  change: Awaited<ReturnType<typeof ticketChanges>>[number],
  names: Map<number, string>,
): string {
  return change.changes
    .map((field) => {
      if (field === "status") return `Status: ${statusLabels[change.status] ?? change.status}`;
      if (field === "category")
        return `Category: ${categoryLabels[change.category] ?? change.category}`;
      if (field === "priority") return `Priority: ${change.priority}`;
      if (field === "assigneeStaffId")
        return `Assigned to ${change.assigneeStaffId === null ? "nobody" : (names.get(change.assigneeStaffId) ?? "a former member")}`;
      return field;
    })
    .join(" · ");
}

export function ticketRoutes(deps: DeskDeps) {
  /** Everything the ticket page shows, or null when the member may not see the ticket. */
  async function loadTicket(session: DeskSession, reference: string) {
    const { viewer } = session;
    const id = await ticketIdOfReference(deps.db, viewer.schoolId, reference);
    if (id === null) return null;
    const now = deps.now();
    const detail = await getTicketForStaff(deps.db, viewer, id, now);
    const row = detail ? await findTicketForStaff(deps.db, viewer, id) : null;
    if (!detail || !row) return null;
    const replies = detail.messages.filter((m) => m.authorType === "staff" && !m.internal);
    const [deliveries, changes, flag, canned, members] = await Promise.all([
      replyDeliveries(
        deps.db,
        id,
        replies.map((m) => m.id),
      ),
      ticketChanges(deps.db, id),
      guardianFlag(deps.db, row.guardianId),
      listCannedReplies(deps.db, viewer.schoolId),
      listStaff(deps.db, viewer, { includeInactive: true }),
    ]);
    const names = new Map(members.map((member) => [member.id, member.name]));
    const thread: ThreadEntry[] = [
      ...detail.messages.map(
        (message): ThreadEntry => ({
          kind: message.internal
            ? "note"
            : message.authorType === "parent"
              ? "parent"
              : message.authorType === "staff"
                ? "staff"
                : "system",
          at: Date.parse(message.createdAt),
          who:
            message.authorType === "parent"
              ? detail.guardian.name
              : message.authorType === "staff"
                ? (names.get(message.authorStaffId ?? 0) ?? "Staff")
                : "Parentline",
          body: message.body,
          delivery: deliveries.get(message.id),
        }),
      ),
      ...changes.map(
        (change): ThreadEntry => ({
          kind: "change",
          at: change.createdAt,
          who: "Changed",
          body: describeChange(change, names),
        }),
      ),
    ].sort((a, b) => a.at - b.at);
    const cannedNames = { parent: detail.guardian.name, child: detail.student?.name ?? null };
    return {
      row,
      view: {
        id,
        reference: detail.reference,
        status: detail.status,
        category: detail.category,
        priority: detail.priority,
        assigneeStaffId: detail.assigneeStaffId,
        channel: detail.channel,
        guardian: detail.guardian,
        student: detail.student,
        firstResponseDueAt: detail.firstResponseDueAt,
        slaBreached: detail.slaBreached,
        rating: row.rating,
        guardrails: detail.guardrails,
        flag,
      },
      thread,
      canned: canned.map((reply) => ({
        id: reply.id,
        title: reply.title,
        filled: fillCannedReply(reply.body, cannedNames),
      })),
      staff: members.filter((member) => member.active),
    };
  }

  async function ticketPage(
    c: Context<DeskEnv>,
    options: {
      notice?: string;
      errors?: TicketErrors;
      draft?: { body?: string; note?: string; flagReason?: string };
      status?: 200 | 404 | 409 | 422;
    } = {},
  ) {
    const session = c.get("desk");
    const loaded = await loadTicket(session, c.req.param("reference") ?? "");
    if (!loaded) return c.text("No such ticket, or it is not one you can see", 404);
    await markRead(deps.db, session.viewer.staffId, loaded.view.id, deps.now());
    if (c.req.header("x-desk-fragment") === "thread") {
      return renderPage(
        c,
        <Thread ticketId={loaded.view.id} thread={loaded.thread} timeZone={session.timeZone} />,
      );
    }
    return renderPage(
      c,
      <TicketPage
        session={session}
        ticket={loaded.view}
        thread={loaded.thread}
        canned={loaded.canned}
        staff={loaded.staff}
        timeZone={session.timeZone}
        notice={options.notice}
        {...(options.errors ? { errors: options.errors } : {})}
        {...(options.draft ? { draft: options.draft } : {})}
      />,
      options.status ?? 200,
    );
  }

  /** The ticket a form posts to, if the member may see it. */
  async function postedTicket(c: Context<DeskEnv>) {
    const { viewer } = c.get("desk");
    const id = await ticketIdOfReference(deps.db, viewer.schoolId, c.req.param("reference") ?? "");
    return id === null ? null : findTicketForStaff(deps.db, viewer, id);
  }

  const notices: Record<string, string> = {
    reply: "Reply sent to the parent.",
    note: "Note added.",
    changes: "Changes saved.",
    flagged: "Parent flagged: their new tickets go to an admin.",
    unflagged: "Flag cleared.",
    unchanged: "Nothing to change.",
  };

  return new Hono<DeskEnv>()
    .get("/", async (c) => {
      const session = c.get("desk");
      const { viewer } = session;
      const filters = readFilters(c);
      const now = deps.now();
      if (filters.q && /^T-?\d+$/i.test(filters.q)) {
        const id = await ticketIdOfReference(deps.db, viewer.schoolId, filters.q);
        const ticket = id === null ? null : await findTicketForStaff(deps.db, viewer, id);
        if (ticket) return c.redirect(`/staff/tickets/T-${ticket.number}`, 303);
      }
      // Newest activity first; a search newest first, the order the search index serves fastest.
      const sort = filters.q ? "-created" : "-updated";
      const cursor = c.req.query("cursor");
      const after = cursor ? decodeCursor(sort, cursor) : undefined;
      const page = await listTicketsForStaff(deps.db, viewer, {
        limit: PAGE_SIZE,
        sort,
        now,
        ...(after ? { after } : {}),
        ...(filters.view === "mine" ? { assignee: "me" as const } : {}),
        ...(filters.view === "unassigned" ? { assignee: "none" as const } : {}),
        ...(filters.status ? { status: filters.status as (typeof ticketStatuses)[number] } : {}),
        ...(filters.category
          ? { category: filters.category as (typeof ticketCategories)[number] }
          : {}),
        ...(filters.classId ? { classId: filters.classId } : {}),
        ...(filters.sla ? { slaBreached: true } : {}),
        ...(filters.q ? { q: filters.q } : {}),
      });
      const ids = page.tickets.map((ticket) => ticket.id);
      const [previews, reads, members] = await Promise.all([
        lastMessages(deps.db, ids),
        readMarks(deps.db, viewer.staffId, ids),
        listStaff(deps.db, viewer, { includeInactive: true }),
      ]);
      const names = new Map(members.map((member) => [member.id, member.name]));
      const tickets = page.tickets.map((ticket) => {
        const readAt = reads.get(ticket.id);
        return {
          ...ticket,
          assignee:
            ticket.assigneeStaffId === null ? null : (names.get(ticket.assigneeStaffId) ?? null),
          unread: readAt === undefined || readAt < Date.parse(ticket.updatedAt),
          preview: previews.get(ticket.id) ?? null,
        };
      });
      const nextPage = page.nextCursor
        ? `${queueUrl(filters)}&cursor=${encodeURIComponent(page.nextCursor)}`
        : null;
      if (c.req.header("x-desk-fragment") === "queue") {
        return renderPage(
          c,
          <QueueList tickets={tickets} nextPage={nextPage} timeZone={session.timeZone} />,
        );
      }
      const refError =
        filters.q && /^T-?\d+$/i.test(filters.q)
          ? { q: `There is no ticket ${filters.q.toUpperCase()} that you can see.` }
          : undefined;
      return renderPage(
        c,
        <QueuePage
          session={session}
          filters={filters}
          tickets={tickets}
          classes={await listClassesFor(deps.db, viewer)}
          nextPage={nextPage}
          timeZone={session.timeZone}
          {...(refError ? { errors: refError } : {})}
        />,
      );
    })
    .get("/:reference", (c) => {
      const done = c.req.query("done");
      return ticketPage(c, done && notices[done] ? { notice: notices[done] } : {});
    })
    .post("/:reference/reply", async (c) => {
      const { viewer } = c.get("desk");
      const ticket = await postedTicket(c);
      if (!ticket) return c.text("No such ticket, or it is not one you can see", 404);
      const form = await c.req.parseBody();
      const body = text(form, "body");
      const cannedId = Number(text(form, "cannedReplyId")) || undefined;
      // A typed (or script-filled) text wins; a canned reply alone is filled in here.
      const parsed = ReplyBody.safeParse(
        body ? { body } : cannedId !== undefined ? { cannedReplyId: cannedId } : {},
      );
      if (!parsed.success) {
        const tooLong = body.length > 4000;
        return ticketPage(c, {
          status: 422,
          errors: {
            body: tooLong
              ? `The message is ${body.length} characters; the most is 4000.`
              : "Write a message, or choose a canned reply.",
          },
          draft: { body },
        });
      }
      let message = parsed.data.body ?? "";
      if (parsed.data.cannedReplyId !== undefined) {
        const canned = await findCannedReply(deps.db, viewer.schoolId, parsed.data.cannedReplyId);
        const detail = await getTicketForStaff(deps.db, viewer, ticket.id, deps.now());
        if (!canned || !detail) {
          return ticketPage(c, {
            status: 422,
            errors: { cannedReplyId: "That canned reply no longer exists; choose another." },
          });
        }
        message = fillCannedReply(canned.body, {
          parent: detail.guardian.name,
          child: detail.student?.name ?? null,
        });
      }
      const reply = await replyToTicket(deps, viewer, ticket.id, message);
      if (!reply) return c.text("No such ticket, or it is not one you can see", 404);
      deps.outboxQueued?.();
      return c.redirect(`/staff/tickets/${reply.reference}?done=reply`, 303);
    })
    .post("/:reference/note", async (c) => {
      const ticket = await postedTicket(c);
      if (!ticket) return c.text("No such ticket, or it is not one you can see", 404);
      const form = await c.req.parseBody();
      const body = text(form, "body");
      const parsed = NoteBody.safeParse({ body });
      if (!parsed.success) {
        return ticketPage(c, {
          status: 422,
          errors: {
            note: body
              ? `The note is ${body.length} characters; the most is 4000.`
              : "Write the note first.",
          },
          draft: { note: body },
        });
      }
      await addInternalNote(deps, c.get("desk").viewer, ticket.id, parsed.data.body);
      return c.redirect(`/staff/tickets/T-${ticket.number}?done=note`, 303);
    })
    .post("/:reference/properties", async (c) => {
      const { viewer } = c.get("desk");
      const ticket = await postedTicket(c);
      if (!ticket) return c.text("No such ticket, or it is not one you can see", 404);
      const form = await c.req.parseBody();
      const wanted = {
        status: text(form, "status") || undefined,
        assigneeStaffId: Number(text(form, "assigneeStaffId")) || undefined,
        category: text(form, "category") || undefined,
        priority: text(form, "priority") || undefined,
      };
      // Only what differs from the ticket is a change (the form always sends every field).
      const patch: Record<string, unknown> = {};
      if (wanted.status !== ticket.status) patch.status = wanted.status;
      if (wanted.assigneeStaffId !== (ticket.assigneeStaffId ?? undefined))
        patch.assigneeStaffId = wanted.assigneeStaffId;
      if (wanted.category !== ticket.category) patch.category = wanted.category;
      if (wanted.priority !== ticket.priority) patch.priority = wanted.priority;
      for (const key of Object.keys(patch)) if (patch[key] === undefined) delete patch[key];
      const reference = `T-${ticket.number}`;
      if (Object.keys(patch).length === 0)
        return c.redirect(`/staff/tickets/${reference}?done=unchanged`, 303);
      const parsed = TicketPatchBody.safeParse(patch);
      if (!parsed.success) {
        return ticketPage(c, { status: 422, errors: { form: "Choose values from the lists." } });
      }
      const outcome = await applyTicketPatch(
        deps,
        deps.conversations,
        viewer,
        ticket,
        parsed.data as TicketPatch,
      );
      if (!outcome.ok) {
        const errors: TicketErrors =
          outcome.reason === "illegal_transition"
            ? {
                status: `A ticket that is ${statusLabels[outcome.from]?.toLowerCase()} cannot become ${statusLabels[outcome.to]?.toLowerCase()}. It can become: ${outcome.allowed.map((s) => statusLabels[s]?.toLowerCase()).join(", ") || "nothing else"}.`,
              }
            : outcome.reason === "unknown_assignee"
              ? { assigneeStaffId: "That person is no longer an active member of staff." }
              : {
                  form: "Someone else changed this ticket's status just now. Check it and try again.",
                };
        return ticketPage(c, { status: outcome.reason === "conflict" ? 409 : 422, errors });
      }
      return c.redirect(`/staff/tickets/${reference}?done=changes`, 303);
    })
    .post("/:reference/flag", async (c) => {
      const { viewer } = c.get("desk");
      const ticket = await postedTicket(c);
      if (!ticket) return c.text("No such ticket, or it is not one you can see", 404);
      if (!mayFlag(viewer)) return c.text(FLAG_REFUSAL, 403);
      const reason = text(await c.req.parseBody(), "reason");
      const parsed = FlagBody.safeParse({ reason });
      if (!parsed.success) {
        return ticketPage(c, {
          status: 422,
          errors: {
            flagReason:
              reason.length > 500
                ? `The reason is ${reason.length} characters; the most is 500.`
                : "Say why, in a few words (at least 3 characters).",
          },
          draft: { flagReason: reason },
        });
      }
      await setGuardianFlag(deps, viewer, ticket.guardianId, parsed.data.reason);
      return c.redirect(`/staff/tickets/T-${ticket.number}?done=flagged`, 303);
    })
    .post("/:reference/unflag", async (c) => {
      const { viewer } = c.get("desk");
      const ticket = await postedTicket(c);
      if (!ticket) return c.text("No such ticket, or it is not one you can see", 404);
      if (!mayFlag(viewer)) return c.text(FLAG_REFUSAL, 403);
      await setGuardianFlag(deps, viewer, ticket.guardianId, null);
      return c.redirect(`/staff/tickets/T-${ticket.number}?done=unflagged`, 303);
    });
}
