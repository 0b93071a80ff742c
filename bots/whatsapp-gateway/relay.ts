// The gateway's side of the inbound road: whatsapp-web.js's messages and acks, parsed by
// bots/whatsapp-web as in-process, are POSTed signed to the runtime's /webhooks/whatsapp-web in
// the order they came. A relay the runtime could not take (network, 5xx, 429) is retried with
// backoff until its deadline; one it refused (401, 400) is not. whatsapp-web.js never redelivers,
// so a relay that runs out is logged as lost.
import type { ChannelContext, InboundRoadHandle } from "../../src/contracts";
import { WHATSAPP_GATEWAY_WEBHOOK_PATH } from "./setup";
import { postSigned } from "./signed-request";
import type { RelayAnswer, RelayBody } from "./wire";

export interface RelayTiming {
  /** The longest one POST may take, answer included. */
  attemptTimeoutMs: number;
  /** The first wait before a retry; each next one doubles, up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** How long after it arrived a message or ack is given up. */
  deadlineMs: number;
}

export const DEFAULT_RELAY_TIMING: RelayTiming = {
  attemptTimeoutMs: 10_000,
  firstDelayMs: 1_000,
  maxDelayMs: 30_000,
  deadlineMs: 10 * 60_000,
};

export interface RelayOptions {
  /** The runtime's base URL (PARENTLINE_URL): a Node server's, or a Worker's /t/{tenant}. */
  parentlineUrl: string;
  secret: string;
  log: ChannelContext["log"];
  /** The clock the signature's timestamp is read from. */
  now: () => number;
  timing?: RelayTiming;
  fetch?: typeof fetch;
}

export class RelayRefused extends Error {
  constructor(readonly status: number) {
    super(`the runtime refused the relay with ${status}`);
    this.name = "RelayRefused";
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A monotonic clock for retry waits and deadlines, whatever the signing clock says. */
const elapsed = () => performance.now();

/** Whether the runtime may take it on a later try: it was unreachable, busy or failing. */
const retryable = (status: number) => status >= 500 || status === 429 || status === 408;

export function createRelayRoad(options: RelayOptions): InboundRoadHandle {
  const timing = options.timing ?? DEFAULT_RELAY_TIMING;
  const url = `${options.parentlineUrl.replace(/\/+$/, "")}${WHATSAPP_GATEWAY_WEBHOOK_PATH}`;
  // One relay at a time, so a parent's messages reach the runtime in the order they were sent.
  let queue: Promise<unknown> = Promise.resolve();

  async function post(body: RelayBody, arrivedAt: number): Promise<RelayAnswer> {
    let delay = timing.firstDelayMs;
    for (let attempt = 1; ; attempt++) {
      let failure: string;
      // The last attempt gets only what is left before the deadline.
      const attemptMs = Math.min(
        timing.attemptTimeoutMs,
        arrivedAt + timing.deadlineMs - elapsed(),
      );
      try {
        const response = await postSigned({
          url,
          secret: options.secret,
          body,
          now: options.now(),
          // AbortSignal.timeout takes whole milliseconds only.
          timeoutMs: Math.max(1, Math.floor(attemptMs)),
          ...(options.fetch ? { fetch: options.fetch } : {}),
        });
        if (response.ok) return ((await response.json().catch(() => ({}))) ?? {}) as RelayAnswer;
        await response.body?.cancel();
        if (!retryable(response.status)) throw new RelayRefused(response.status);
        failure = `HTTP ${response.status}`;
      } catch (error) {
        if (error instanceof RelayRefused) throw error;
        failure = error instanceof Error ? error.message : String(error);
      }
      const left = arrivedAt + timing.deadlineMs - elapsed();
      if (left <= 0) throw new Error(`relay gave up after ${attempt} attempts: ${failure}`);
      options.log.warn({ attempt, failure, retryInMs: delay }, "relay to Parentline failed");
      await sleep(Math.min(delay, left));
      delay = Math.min(timing.maxDelayMs, delay * 2);
    }
  }

  function relay(body: RelayBody): Promise<RelayAnswer> {
    const arrivedAt = elapsed();
    const done = queue.then(() => post(body, arrivedAt));
    queue = done.catch(() => undefined);
    return done;
  }

  return {
    async receive(message) {
      const { address, providerMessageId, text, replyTo } = message;
      const answer = await relay({
        kind: "message",
        message: {
          channel: "whatsapp-web",
          address,
          providerMessageId,
          text,
          ...(replyTo ? { replyTo } : {}),
        },
      });
      return { accepted: answer.accepted !== false, outboxIds: [] };
    },
    // The runtime sends the replies itself, through this gateway's /send.
    deliverNow: async () => {},
    deliverSoon: () => {},
    async recordReceipt(receipt) {
      const answer = await relay({
        kind: "receipt",
        receipt: {
          channel: "whatsapp-web",
          providerMessageId: receipt.providerMessageId,
          status: receipt.status,
        },
      });
      return answer.moved === true;
    },
    // whatsapp-web.js reports no opt-outs; nothing on this side calls it.
    setOptedOut: async () => {},
  };
}
