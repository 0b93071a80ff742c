// GET /staff/events: the desk's live events, the same hub and scope as GET /v1/events, with the
// cookie session (EventSource sends cookies, not bearer tokens).
import { Hono } from "hono";
import { EVENT_STREAM_HEADERS, staffEventStream } from "../../http/event-stream";
import { loadEventScope } from "../../services/staff-events";
import type { DeskDeps } from "../deps";
import type { DeskEnv } from "../session";

export function eventRoutes(deps: DeskDeps) {
  return new Hono<DeskEnv>().get("/", async (c) => {
    const scope = await loadEventScope(deps.db, c.get("desk").viewer);
    // EventSource reconnects with Last-Event-ID: resume after it without gaps.
    const last = c.req.header("last-event-id");
    const resumeAfter = last && /^\d{1,15}$/.test(last) ? Number(last) : null;
    return c.body(
      staffEventStream(deps.staffEvents, scope, resumeAfter),
      200,
      EVENT_STREAM_HEADERS,
    );
  });
}
