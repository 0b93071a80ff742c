// The runtime's side of the gateway: the channel's only IO, plain fetch to the gateway's signed
// POST /send. Its answer maps onto the outbox's send failures, so retries, pauses while the
// session is not linked, and dead letters work as they do for WhatsApp Web in-process.
import { ChannelSendError, type SendFailure } from "../../src/contracts";
import { postSigned } from "./signed-request";
import type { SendAnswer, SendRefusal, SendRequest } from "./wire";

export const GATEWAY_SEND_PATH = "/send";

export interface GatewayClientOptions {
  /** The gateway's base URL (WHATSAPP_GATEWAY_URL). */
  url: string;
  secret: string;
  timeoutMs: number;
  now: () => number;
  fetch?: typeof fetch;
}

export interface GatewayClient {
  /** Sends one message through the gateway; resolves with the WhatsApp id of its last part. */
  send(request: SendRequest): Promise<string>;
}

const FAILURES = new Set<SendFailure>([
  "transient",
  "rate_limited",
  "blocked",
  "outside_window",
  "rejected",
]);

const isFailure = (code: unknown): code is SendFailure => FAILURES.has(code as SendFailure);

/** What a gateway answer other than 200 means for the outbox row. */
export function sendErrorFrom(status: number, body: unknown): ChannelSendError {
  const error = (body as SendRefusal | null)?.error;
  const what = `WhatsApp gateway ${status}`;
  if (isFailure(error?.code)) {
    const retryAfterMs = error.details?.retryAfterMs;
    return new ChannelSendError(error.code, `${what}: ${String(error.message).slice(0, 200)}`, {
      ...(typeof retryAfterMs === "number" ? { retryAfterMs } : {}),
    });
  }
  // Our signature refused: the message is fine, the shared secret or a clock is not.
  if (status === 401 || status === 403)
    return new ChannelSendError("transient", `${what}: signature refused`);
  if (status >= 500 || status === 429)
    return new ChannelSendError("transient", `${what}: gateway unavailable`);
  return new ChannelSendError("rejected", `${what}: message refused`);
}

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const url = `${options.url.replace(/\/+$/, "")}${GATEWAY_SEND_PATH}`;
  return {
    async send(request) {
      let response: Response;
      try {
        response = await postSigned({
          url,
          secret: options.secret,
          body: request,
          now: options.now(),
          timeoutMs: options.timeoutMs,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        });
      } catch (error) {
        throw new ChannelSendError(
          "transient",
          `WhatsApp gateway unreachable: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      let body: unknown;
      try {
        // The timeout's signal covers the body too: a trickling answer is a network failure.
        body = await response.json();
      } catch (error) {
        if (error instanceof Error && /abort|timeout/i.test(error.name))
          throw new ChannelSendError("transient", "WhatsApp gateway answer timed out");
        body = null;
      }
      if (!response.ok) throw sendErrorFrom(response.status, body);
      const id = (body as SendAnswer | null)?.providerMessageId;
      if (typeof id !== "string" || id === "")
        throw new ChannelSendError("transient", "WhatsApp gateway answered without a message id");
      return id;
    },
  };
}
