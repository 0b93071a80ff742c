// A staff event stream's body: a listener on the hub writing into a plain byte stream, ended when
// the client goes away or, with a session, when the hub finds that session over. Shared by
// GET /v1/events and the desk's /staff/events.
import type { ListenerSession, StaffEventHub } from "../services/staff-event-hub";
import type { EventScope } from "../services/staff-events";

export const EVENT_STREAM_HEADERS = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache",
  connection: "keep-alive",
} as const;

/**
 * A plain byte stream rather than hono's streamSSE: the hub enqueues each (shared, encoded) frame
 * synchronously, with no writer promise per stream, which is what keeps fan-out to thousands of
 * streams fast.
 */
export function staffEventStream(
  hub: StaffEventHub,
  scope: EventScope,
  resumeAfter: number | null,
  session?: Omit<ListenerSession, "end">,
): ReadableStream<Uint8Array> {
  let unsubscribe: (() => void) | null = null;
  let cancelled = false;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const end = () => {
        cancelled = true;
        unsubscribe?.();
        try {
          controller.close();
        } catch {
          // Already closed by the client.
        }
      };
      const stop = await hub.subscribe(
        {
          scope,
          ...(session ? { session: { ...session, end } } : {}),
          write: (frame) => {
            try {
              controller.enqueue(frame);
            } catch {
              // The client went away between the hub's loop and this write: nothing to send to.
            }
          },
        },
        resumeAfter,
      );
      if (cancelled) stop();
      else unsubscribe = stop;
    },
    cancel() {
      cancelled = true;
      unsubscribe?.();
    },
  });
}
