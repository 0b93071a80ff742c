// The gateway's relay queue: every message and ack whatsapp-web.js hands over is written to the
// gateway's file first, then POSTed to the runtime one at a time, oldest first, and removed only
// once the runtime answered 2xx. One queue for all chats: what holds a relay back (the runtime
// down, failing, busy, or refusing the gateway's signature) holds every chat's alike, and one at
// a time keeps each chat's messages, and the acks between them, in the order they came.
// There is no deadline: a relay is retried, with capped exponential backoff, until it lands.
import type { ChannelContext } from "../../src/contracts";
import type { GatewayStore } from "./gateway-store";
import type { PostRelay, RelayOutcome } from "./relay";
import type { RelayBody } from "./wire";

export interface RelayTiming {
  /** The longest one POST may take, answer included. */
  attemptTimeoutMs: number;
  /** The first wait before a retry; each next one doubles, up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RELAY_TIMING: RelayTiming = {
  attemptTimeoutMs: 10_000,
  firstDelayMs: 1_000,
  maxDelayMs: 30_000,
};

/** Resolves after `ms`, or at once when `signal` aborts (the gateway stopping). */
export type Wait = (ms: number, signal: AbortSignal) => Promise<void>;

export const realWait: Wait = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });

/** Where the queue stands, for the gateway's /health and its start banner. */
export interface RelayStatus {
  /** "refused": the runtime refuses the gateway itself; an operator must act. */
  state: "idle" | "delivering" | "retrying" | "refused";
  pending: number;
  oldestPendingAt: string | null;
  /** Relays the runtime said were bad, kept in set_aside_relays and out of the way. */
  setAside: number;
  lastFailure: { status: number | null; failure: string; at: string; attempts: number } | null;
}

export interface RelayQueueOptions {
  store: GatewayStore;
  post: PostRelay;
  log: ChannelContext["log"];
  now: () => number;
  timing: RelayTiming;
  wait?: Wait;
}

export function createRelayQueue({
  store,
  post,
  log,
  now,
  timing,
  wait = realWait,
}: RelayQueueOptions) {
  const stopping = new AbortController();
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  const drainedWaiters: (() => void)[] = [];
  let state: RelayStatus["state"] = "idle";
  let lastFailure: RelayStatus["lastFailure"] = null;

  const iso = (ms: number) => new Date(ms).toISOString();

  function noteFailure(outcome: Exclude<RelayOutcome, { kind: "delivered" }>, attempts: number) {
    lastFailure = {
      status: outcome.status ?? null,
      failure: outcome.failure,
      at: iso(now()),
      attempts,
    };
  }

  async function drain(): Promise<void> {
    let delay = timing.firstDelayMs;
    while (!stopping.signal.aborted) {
      const next = store.first();
      if (!next) {
        state = "idle";
        for (const resolve of drainedWaiters.splice(0)) resolve();
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      if (state === "idle") state = "delivering";
      const outcome = await post(next.body, stopping.signal);
      // Cut short by the stop: kept as it is for the next start.
      if (stopping.signal.aborted) break;
      store.countAttempt(next.id);
      const attempts = next.attempts + 1;
      if (outcome.kind === "delivered") {
        store.delivered(next.id);
        state = "delivering";
        lastFailure = null;
        delay = timing.firstDelayMs;
        continue;
      }
      noteFailure(outcome, attempts);
      if (outcome.kind === "bad") {
        // No retry of the same bytes can land, and behind it every chat would wait for good.
        store.setAside(next.id, outcome.status, outcome.failure, now());
        log.error(
          { relayId: next.id, status: outcome.status, failure: outcome.failure },
          "relay refused by Parentline as bad: set aside in set_aside_relays, the queue goes on",
        );
        delay = timing.firstDelayMs;
        continue;
      }
      if (outcome.kind === "refused") {
        state = "refused";
        log.error(
          { relayId: next.id, status: outcome.status, failure: outcome.failure, attempts },
          "Parentline refuses the gateway (check WHATSAPP_GATEWAY_SECRET on both sides, " +
            "PARENTLINE_URL, and both clocks): relays are kept and retried",
        );
      } else {
        state = "retrying";
        log.warn(
          { relayId: next.id, failure: outcome.failure, attempts, retryInMs: delay },
          "relay to Parentline failed: kept, retrying",
        );
      }
      await wait(delay, stopping.signal);
      delay = Math.min(timing.maxDelayMs, delay * 2);
    }
  }

  return {
    /** Writes the relay down and lets the loop deliver it. */
    enqueue(body: RelayBody): void {
      store.enqueue(JSON.stringify(body), now());
      wake?.();
      wake = undefined;
    },
    /** Starts delivering, beginning with what an earlier run left queued. */
    start(): void {
      loop ??= drain().catch((error: unknown) => {
        log.fatal({ err: error }, "relay queue stopped");
      });
    },
    /** Stops after the POST under way (cut short); what is queued stays for the next start. */
    async stop(): Promise<void> {
      stopping.abort();
      wake?.();
      await loop;
    },
    /** Resolves once nothing is queued (at once when nothing is). */
    drained(): Promise<void> {
      if (store.pending().count === 0 && state === "idle") return Promise.resolve();
      return new Promise((resolve) => {
        drainedWaiters.push(resolve);
      });
    },
    status(): RelayStatus {
      const { count, oldest } = store.pending();
      return {
        state,
        pending: count,
        oldestPendingAt: oldest === null ? null : iso(oldest),
        setAside: store.setAsideCount(),
        lastFailure,
      };
    },
  };
}

export type RelayQueue = ReturnType<typeof createRelayQueue>;
