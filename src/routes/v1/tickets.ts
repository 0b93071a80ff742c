// /v1/tickets: the staff member's ticket queue, a ticket with its thread, replies to parents,
// internal notes, and changes of status, assignee, category and priority.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { InboundRoad } from "../../conversations/inbound-road";
import type { AppEnv } from "../../http/app-env";
import { ApiError, notFound } from "../../http/errors";
import { validationHook } from "../../http/validation";
import { fillCannedReply, findCannedReply } from "../../services/canned-replies";
import type { ServiceDeps } from "../../services/deps";
import { applyTicketPatch } from "../../services/ticket-changes";
import { decodeCursor } from "../../services/ticket-order";
import {
  addInternalNote,
  findTicketForStaff,
  getTicketForStaff,
  listTicketsForStaff,
  replyToTicket,
} from "../../services/tickets";
import {
  errorResponses,
  NoteBody,
  NoteSchema,
  ReplyBody,
  ReplySchema,
  TicketDetailSchema,
  TicketIdParam,
  TicketListQuery,
  TicketListSchema,
  TicketPatchBody,
} from "./schemas";

const security = [{ bearer: [] }];

const listTickets = createRoute({
  method: "get",
  path: "/",
  tags: ["Tickets"],
  summary: "Tickets the caller may see, filtered, sorted and paged",
  description: [
    "A teacher sees tickets assigned to them and those about children in their classes; office staff their function's categories; an admin the whole school.",
    "",
    "**Sort** (`sort`): `-created` (newest first, the default), `created`, `-updated` (most recently changed first), `updated`, `priority` (urgent first, then the one waiting longest). Every order ends on the ticket id, and `nextCursor` holds the last row's sort values: the next page starts strictly after it, so tickets created meanwhile never repeat or shift a page. A cursor only works with the sort it came from.",
    "",
    "**First-response SLA** (`slaBreached`): each ticket's first staff answer is due within a number of the school's working hours — by default 2 for urgent and 8 (one school day) for normal tickets, working hours 08:00–16:00 Monday to Friday in the school's time zone; a school changes these in `settings.sla` (`firstResponseHours: { normal, urgent }`, `dayStart`, `dayEnd` as HH:MM, `workingDays` 0 = Sunday … 6). The due time is fixed when the ticket is created and recomputed when its priority changes. A ticket has breached the SLA when its first reply came after the due time, or none has come and the due time has passed; resolving without a reply counts as the answer. `slaBreached=true` lists those, `false` the rest; each ticket carries `firstResponseDueAt` and `slaBreached`.",
  ].join("\n"),
  security,
  request: { query: TicketListQuery },
  responses: {
    200: {
      description: "One page of tickets",
      content: { "application/json": { schema: TicketListSchema } },
    },
    ...errorResponses(401, 422),
  },
});

const getTicket = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Tickets"],
  summary: "A ticket with its whole thread (internal notes marked)",
  security,
  request: { params: TicketIdParam },
  responses: {
    200: {
      description: "The ticket",
      content: { "application/json": { schema: TicketDetailSchema } },
    },
    ...errorResponses(401, 404, 422),
  },
});

const postReply = createRoute({
  method: "post",
  path: "/{id}/replies",
  tags: ["Tickets"],
  summary: "Reply to the parent on the channel they used",
  description:
    "The reply, the ticket's move to waiting_for_parent and the outgoing message are written together; the parent receives it prefixed with the ticket reference.",
  security,
  request: {
    params: TicketIdParam,
    body: { content: { "application/json": { schema: ReplyBody } }, required: true },
  },
  responses: {
    201: {
      description: "Reply queued for the parent",
      content: { "application/json": { schema: ReplySchema } },
    },
    ...errorResponses(400, 401, 404, 413, 422),
  },
});

const patchTicket = createRoute({
  method: "patch",
  path: "/{id}",
  tags: ["Tickets"],
  summary: "Move a ticket along its lifecycle",
  description:
    "Allowed moves: open → in_progress, waiting_for_parent or resolved; in_progress ⇄ waiting_for_parent; either → resolved; resolved → closed. Anything else is 409. Resolving asks the parent, in their chat, to rate the answer or reopen the ticket.",
  security,
  request: {
    params: TicketIdParam,
    body: { content: { "application/json": { schema: TicketPatchBody } }, required: true },
  },
  responses: {
    200: {
      description: "The ticket after the change",
      content: { "application/json": { schema: TicketDetailSchema } },
    },
    ...errorResponses(400, 401, 404, 409, 413, 422),
  },
});

const postNote = createRoute({
  method: "post",
  path: "/{id}/notes",
  tags: ["Tickets"],
  summary: "Add an internal note (staff only, never sent to the parent)",
  security,
  request: {
    params: TicketIdParam,
    body: { content: { "application/json": { schema: NoteBody } }, required: true },
  },
  responses: {
    201: { description: "Note added", content: { "application/json": { schema: NoteSchema } } },
    ...errorResponses(400, 401, 404, 413, 422),
  },
});

export function ticketRoutes(deps: ServiceDeps, conversations: Pick<InboundRoad, "signal">) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(listTickets, async (c) => {
      const query = c.req.valid("query");
      const after = query.cursor ? decodeCursor(query.sort, query.cursor) : undefined;
      if (after === null) {
        throw new ApiError(422, "validation_failed", "The request is not valid", [
          { path: "cursor", message: "is not a cursor of this sort; start again without it" },
        ]);
      }
      const page = await listTicketsForStaff(deps.db, c.get("staff"), {
        limit: query.limit,
        sort: query.sort,
        now: deps.now(),
        ...(after ? { after } : {}),
        ...(query.slaBreached ? { slaBreached: query.slaBreached === "true" } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.category ? { category: query.category } : {}),
        ...(query.assignee !== undefined ? { assignee: query.assignee } : {}),
        ...(query.student ? { studentId: query.student } : {}),
        ...(query.guardian ? { guardianId: query.guardian } : {}),
        ...(query.class ? { classId: query.class } : {}),
        ...(query.createdFrom ? { createdFrom: Date.parse(query.createdFrom) } : {}),
        ...(query.createdTo ? { createdTo: Date.parse(query.createdTo) } : {}),
        ...(query.q ? { q: query.q } : {}),
      });
      return c.json(page, 200);
    })
    .openapi(getTicket, async (c) => {
      const ticket = await getTicketForStaff(
        deps.db,
        c.get("staff"),
        c.req.valid("param").id,
        deps.now(),
      );
      if (!ticket) throw notFound("Ticket");
      return c.json(ticket, 200);
    })
    .openapi(patchTicket, async (c) => {
      const viewer = c.get("staff");
      const ticketId = c.req.valid("param").id;
      const ticket = await findTicketForStaff(deps.db, viewer, ticketId);
      if (!ticket) throw notFound("Ticket");
      const outcome = await applyTicketPatch(
        deps,
        conversations,
        viewer,
        ticket,
        c.req.valid("json"),
      );
      if (!outcome.ok) {
        switch (outcome.reason) {
          case "illegal_transition":
            throw new ApiError(
              409,
              "illegal_transition",
              `A ticket that is ${outcome.from} cannot become ${outcome.to}`,
              {
                from: outcome.from,
                to: outcome.to,
                allowed: outcome.allowed,
              },
            );
          case "unknown_assignee":
            throw new ApiError(422, "validation_failed", "The request is not valid", [
              { path: "assigneeStaffId", message: "is not an active staff member of this school" },
            ]);
          case "conflict":
            throw new ApiError(
              409,
              "conflict",
              "Someone else changed this ticket's status just now; reload it",
            );
        }
      }
      const updated = await getTicketForStaff(deps.db, viewer, ticketId, deps.now());
      if (!updated) throw notFound("Ticket");
      return c.json(updated, 200);
    })
    .openapi(postNote, async (c) => {
      const note = await addInternalNote(
        deps,
        c.get("staff"),
        c.req.valid("param").id,
        c.req.valid("json").body,
      );
      if (!note) throw notFound("Ticket");
      return c.json(note, 201);
    })
    .openapi(postReply, async (c) => {
      const viewer = c.get("staff");
      const ticketId = c.req.valid("param").id;
      const { body, cannedReplyId } = c.req.valid("json");
      let text = body ?? "";
      if (cannedReplyId !== undefined) {
        const canned = await findCannedReply(deps.db, viewer.schoolId, cannedReplyId);
        const ticket = await getTicketForStaff(deps.db, viewer, ticketId, deps.now());
        if (!ticket) throw notFound("Ticket");
        if (!canned) {
          throw new ApiError(422, "validation_failed", "The request is not valid", [
            { path: "cannedReplyId", message: "is not a canned reply of this school" },
          ]);
        }
        text = fillCannedReply(canned.body, {
          parent: ticket.guardian.name,
          child: ticket.student?.name ?? null,
        });
      }
      const reply = await replyToTicket(deps, viewer, ticketId, text);
      if (!reply) throw notFound("Ticket");
      deps.outboxQueued?.();
      return c.json(reply, 201);
    });
}
