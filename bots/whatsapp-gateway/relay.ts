// The gateway's side of the inbound road: whatsapp-web.js's messages and acks, parsed by
// bots/whatsapp-web as in-process, are kept in the gateway's relay queue (relay-queue.ts), which
// POSTs them signed to the runtime's /webhooks/whatsapp-web in the order they came. whatsapp-web.js
// never redelivers, so what it hands over is written down before anything else happens to it.
import type { InboundRoadHandle } from "../../src/contracts";
import { WHATSAPP_GATEWAY_WEBHOOK_PATH } from "./setup";
import { postSigned } from "./signed-request";
import type { RelayBody } from "./wire";

/** What one POST of a relay came to, and so what the queue does with it. */
export type RelayOutcome =
  | { kind: "delivered" }
  /** Unreachable, failing or busy (network, 5xx, 429, 408): the runtime may take it later. */
  | { kind: "unavailable"; failure: string; status?: number }
  /** The runtime refused the gateway itself (a wrong secret or URL): kept until that is fixed. */
  | { kind: "refused"; failure: string; status: number }
  /** The runtime refused this relay's body (400, 413, 422): no retry of it can land. */
  | { kind: "bad"; failure: string; status: number };

/** Answers that say the relay itself is bad, not the gateway or the runtime. */
const BAD_RELAY = new Set([400, 413, 422]);
const unavailable = (status: number) => status >= 500 || status === 429 || status === 408;

export interface RelayPostOptions {
  /** The runtime's base URL (PARENTLINE_URL): a Node server's, or a Worker's /t/{tenant}. */
  parentlineUrl: string;
  secret: string;
  /** The clock the signature's timestamp is read from. */
  now: () => number;
  /** The longest one POST may take, answer included. */
  attemptTimeoutMs: number;
  fetch?: typeof fetch;
}

export type PostRelay = (body: string, signal: AbortSignal) => Promise<RelayOutcome>;

/** One signed POST of a relay's JSON to the runtime's webhook, its answer sorted. */
export function relayPoster(options: RelayPostOptions): PostRelay {
  const url = `${options.parentlineUrl.replace(/\/+$/, "")}${WHATSAPP_GATEWAY_WEBHOOK_PATH}`;
  return async (body, signal) => {
    try {
      const response = await postSigned({
        url,
        secret: options.secret,
        body: JSON.parse(body),
        now: options.now(),
        timeoutMs: options.attemptTimeoutMs,
        signal,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      // The answer is read whole, so an answer cut off by the timeout counts as not taken.
      const text = await response.text();
      const status = response.status;
      if (response.ok) return { kind: "delivered" };
      const failure = `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ""}`;
      if (unavailable(status)) return { kind: "unavailable", failure, status };
      if (BAD_RELAY.has(status)) return { kind: "bad", failure, status };
      return { kind: "refused", failure, status };
    } catch (error) {
      return {
        kind: "unavailable",
        failure: error instanceof Error ? error.message : String(error),
      };
    }
  };
}

/** The road the inbound listeners take: each message and ack goes into the relay queue. */
export function createRelayRoad(enqueue: (body: RelayBody) => void): InboundRoadHandle {
  return {
    async receive(message) {
      const { address, providerMessageId, text, replyTo } = message;
      enqueue({
        kind: "message",
        message: {
          channel: "whatsapp-web",
          address,
          providerMessageId,
          text,
          ...(replyTo ? { replyTo } : {}),
        },
      });
      // Whether it is new is the runtime's to say (it dedupes on the WhatsApp id).
      return { accepted: true, outboxIds: [] };
    },
    // The runtime sends the replies itself, through this gateway's /send.
    deliverNow: async () => {},
    deliverSoon: () => {},
    async recordReceipt(receipt) {
      enqueue({
        kind: "receipt",
        receipt: {
          channel: "whatsapp-web",
          providerMessageId: receipt.providerMessageId,
          status: receipt.status,
        },
      });
      // Queued: whether it moves a row is the runtime's to find out.
      return true;
    },
    // whatsapp-web.js reports no opt-outs; nothing on this side calls it.
    setOptedOut: async () => {},
  };
}
