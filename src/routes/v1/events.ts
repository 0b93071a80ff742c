// GET /v1/events: the caller's live view as server-sent events (ticket.created, message.added,
// ticket.updated), scoped like the ticket list, resumable with Last-Event-ID, with a heartbeat. The
// stream ends when its session does (sign-out, revocation, expiry, deactivation) or the member's
// view changes (role, classes); a reconnect then starts with the member as they are now.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/app-env";
import { EVENT_STREAM_HEADERS, staffEventStream } from "../../http/event-stream";
import { validationHook } from "../../http/validation";
import type { ServiceDeps } from "../../services/deps";
import { type StaffEventHub, scopeKey } from "../../services/staff-event-hub";
import { loadEventScope } from "../../services/staff-events";
import { currentStaffPrincipal } from "../../services/staff-session";
import { errorResponses } from "./schemas";

const events = createRoute({
  method: "get",
  path: "/",
  tags: ["Events"],
  summary: "Live events for the caller's view (server-sent events)",
  description: [
    "A text/event-stream of `ticket.created`, `message.added` and `ticket.updated`, only for tickets the caller may see (the same rules as GET /v1/tickets, applied to the ticket as it was when the event happened).",
    "Each event has an `id`; reconnect with `Last-Event-ID: <id>` to receive everything after it, without gaps. Without it the stream starts with what happens next.",
    "`data` is JSON: `{ id, type, createdAt, ticketId, reference, status, category, priority, assigneeStaffId, … }` (message.added adds `messageId`, `authorType`, `internal`; ticket.updated adds `changes`). A `: heartbeat` comment comes every 15 seconds.",
  ].join("\n\n"),
  security: [{ bearer: [] }],
  request: {
    headers: z.object({
      "last-event-id": z
        .string()
        .regex(/^\d{1,15}$/, "must be the id of an event this stream sent")
        .optional(),
    }),
  },
  responses: {
    200: {
      description: "The event stream (stays open)",
      content: { "text/event-stream": { schema: z.string() } },
    },
    ...errorResponses(401, 422),
  },
});

export function eventRoutes(deps: ServiceDeps, hub: StaffEventHub) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(events, async (c) => {
    const session = c.get("staffSession");
    const scope = await loadEventScope(deps.db, c.get("staff"));
    const openedAs = scopeKey(scope);
    const lastEventId = c.req.valid("header")["last-event-id"];
    const body = staffEventStream(
      hub,
      scope,
      lastEventId === undefined ? null : Number(lastEventId),
      {
        staffId: session.staffId,
        key: `${session.staffId}:${session.sessionId}:${session.expiresAt}`,
        expiresInMs: session.expiresAt - deps.now(),
        stillValid: async () => {
          if (deps.now() >= session.expiresAt) return false;
          const now = await currentStaffPrincipal(deps, session);
          return now !== null && scopeKey(await loadEventScope(deps.db, now)) === openedAs;
        },
      },
    );
    return c.body(body, 200, EVENT_STREAM_HEADERS) as never;
  });
}
