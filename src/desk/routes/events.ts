// GET /staff/events: the desk's live events, the same hub and scope as GET /v1/events, with the
// cookie session (EventSource sends cookies, not bearer tokens).
import { Hono } from "hono";
import { EVENT_STREAM_HEADERS, staffEventStream } from "../../http/event-stream";
import { scopeKey } from "../../services/staff-event-hub";
import { loadEventScope } from "../../services/staff-events";
import { currentStaffPrincipal } from "../../services/staff-session";
import type { DeskDeps } from "../deps";
import type { DeskEnv } from "../session";

/** A desk stream ends after this and the browser reconnects: its session is read again then. */
const STREAM_RECHECK_MS = 12 * 3_600_000;

export function eventRoutes(deps: DeskDeps) {
  return new Hono<DeskEnv>().get("/", async (c) => {
    const desk = c.get("desk");
    const scope = await loadEventScope(deps.db, desk.principal);
    const openedAs = scopeKey(scope);
    const session = { staffId: desk.principal.staffId, sessionId: desk.sessionId };
    // EventSource reconnects with Last-Event-ID: resume after it without gaps.
    const last = c.req.header("last-event-id");
    const resumeAfter = last && /^\d{1,15}$/.test(last) ? Number(last) : null;
    return c.body(
      // Ends when the session does (sign-out, deactivation) or the member's view changes; the
      // browser then reconnects, and is sent to sign in if the session is over.
      staffEventStream(deps.staffEvents, scope, resumeAfter, {
        staffId: session.staffId,
        key: `desk:${session.staffId}:${session.sessionId}`,
        expiresInMs: STREAM_RECHECK_MS,
        stillValid: async () => {
          const now = await currentStaffPrincipal(deps, session);
          return now !== null && scopeKey(await loadEventScope(deps.db, now)) === openedAs;
        },
      }),
      200,
      EVENT_STREAM_HEADERS,
    );
  });
}
