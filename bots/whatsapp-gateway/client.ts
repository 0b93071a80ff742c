// The runtime's side of the gateway: the channel's only IO, plain fetch to the gateway's signed
// POST /send and GET /link. The send's answer maps onto the outbox's send failures, so retries,
// pauses while the session is not linked, and dead letters work as they do for WhatsApp Web
// in-process; the link's answer is what the staff page shows, or why the gateway gave none.
import { ChannelSendError, type SendFailure } from "../../src/contracts";
import type { LinkAnswer } from "../whatsapp-web/link-answer";
import { getSigned, postSigned } from "./signed-request";
import { linkAnswerBody, type SendAnswer, type SendRefusal, type SendRequest } from "./wire";

export const GATEWAY_SEND_PATH = "/send";
export const GATEWAY_LINK_PATH = "/link";

/** The gateway's link, or why it could not be read: "timeout" when it outlasted the timeout. */
export type GatewayLink =
  | { ok: true; answer: LinkAnswer }
  | { ok: false; failure: "timeout" | "unavailable"; message: string };

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
  /** The gateway's link state and QR code, for the staff page; never throws. */
  link(): Promise<GatewayLink>;
}

const isTimeout = (error: unknown) => error instanceof Error && /abort|timeout/i.test(error.name);
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

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
  const base = options.url.replace(/\/+$/, "");
  const url = `${base}${GATEWAY_SEND_PATH}`;
  const signed = {
    secret: options.secret,
    timeoutMs: options.timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  return {
    async send(request) {
      let response: Response;
      try {
        response = await postSigned({ ...signed, url, body: request, now: options.now() });
      } catch (error) {
        throw new ChannelSendError(
          "transient",
          `WhatsApp gateway unreachable: ${errorText(error)}`,
        );
      }
      let body: unknown;
      try {
        // The timeout's signal covers the body too: a trickling answer is a network failure.
        body = await response.json();
      } catch (error) {
        if (isTimeout(error))
          throw new ChannelSendError("transient", "WhatsApp gateway answer timed out");
        body = null;
      }
      if (!response.ok) throw sendErrorFrom(response.status, body);
      const id = (body as SendAnswer | null)?.providerMessageId;
      if (typeof id !== "string" || id === "")
        throw new ChannelSendError("transient", "WhatsApp gateway answered without a message id");
      return id;
    },
    async link() {
      const unavailable = (message: string): GatewayLink => ({
        ok: false,
        failure: "unavailable",
        message,
      });
      try {
        const response = await getSigned({
          ...signed,
          url: `${base}${GATEWAY_LINK_PATH}`,
          now: options.now(),
        });
        // The timeout's signal covers the body too: a trickling answer times out.
        const body: unknown = await response.json().catch((error: unknown) => {
          if (isTimeout(error)) throw error;
          return null;
        });
        if (response.status === 401 || response.status === 403)
          return unavailable(
            `WhatsApp gateway refused the signature (${response.status}): check WHATSAPP_GATEWAY_SECRET and both clocks`,
          );
        const answer = linkAnswerBody.safeParse(body);
        if (!response.ok || !answer.success)
          return unavailable(
            `WhatsApp gateway answered ${response.status} without the link's state`,
          );
        return { ok: true, answer: answer.data };
      } catch (error) {
        if (isTimeout(error))
          return {
            ok: false,
            failure: "timeout",
            message: `WhatsApp gateway did not answer within ${options.timeoutMs} ms`,
          };
        return unavailable(`WhatsApp gateway unreachable: ${errorText(error)}`);
      }
    },
  };
}
