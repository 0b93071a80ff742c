// The WhatsApp Cloud API client: the channel's only IO, plain fetch against the Graph API's
// POST /{phone-number-id}/messages. Turns Graph errors into the dispatcher's send failures.
// Error codes: https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/
import { ChannelSendError } from "../../src/contracts";
import type { GraphMessageRequest } from "./render";

export interface GraphClientOptions {
  apiBase: string;
  phoneNumberId: string;
  token: string;
  fetch?: typeof fetch;
  /** How long one call may take, answer included, before it counts as a network failure. */
  timeoutMs: number;
}

/** Graph's error body: { error: { message, type, code, error_data: { details }, fbtrace_id } }. */
interface GraphErrorBody {
  error?: { code?: number; message?: string; error_data?: { details?: string } };
}

interface GraphSendResponse {
  messages?: { id?: string }[];
}

/**
 * Throughput (130429), the business–user pair limit (131056), the account's API limit (80007).
 * Meta sends no retry-after; these waits are long enough that the dispatcher defers the rows to a
 * later poll rather than sleeping through the wait inside a webhook request.
 */
const DEFAULT_RATE_LIMIT_WAIT_MS = 2_000;
const RATE_LIMIT_WAIT_MS: Record<number, number> = {
  130429: DEFAULT_RATE_LIMIT_WAIT_MS,
  // Meta allows about one message every 6 seconds to one person (with short bursts).
  131056: 6_000,
  80007: 60_000,
};
/** More than 24 hours since the person last wrote: a template or another channel is needed. */
const RE_ENGAGEMENT = 131047;
/** Meta's side: unknown error, service unavailable, something went wrong, overloaded. */
const META_TRANSIENT = new Set([1, 2, 131000, 131016, 133004]);
/** The access token is invalid or expired: the message is fine, our credentials are not. */
const AUTH_FAILURE = new Set([0, 190]);

/** What a failed Graph call means for the outbox row. */
export function sendErrorFrom(status: number, body: unknown): ChannelSendError {
  const error = (body as GraphErrorBody | null)?.error;
  const code = typeof error?.code === "number" ? error.code : undefined;
  const providerCode = code === undefined ? undefined : String(code);
  const what = `Graph API ${status}${code === undefined ? "" : ` (#${code})`}`;
  const details = { ...(providerCode ? { providerCode } : {}) };
  const rateWait = code === undefined ? undefined : RATE_LIMIT_WAIT_MS[code];
  if (status === 429 || rateWait !== undefined) {
    return new ChannelSendError("rate_limited", `${what}: rate limited`, {
      ...details,
      retryAfterMs: rateWait ?? DEFAULT_RATE_LIMIT_WAIT_MS,
    });
  }
  if (code === RE_ENGAGEMENT)
    return new ChannelSendError("outside_window", `${what}: outside the 24-hour window`, details);
  if (status >= 500 || (code !== undefined && META_TRANSIENT.has(code)))
    return new ChannelSendError("transient", `${what}: provider unavailable`, details);
  if (status === 401 || (code !== undefined && AUTH_FAILURE.has(code)))
    return new ChannelSendError("transient", `${what}: access token refused`, details);
  return new ChannelSendError("rejected", `${what}: message refused`, details);
}

export interface GraphClient {
  /** Sends one message; resolves with its wamid. */
  sendMessage(request: GraphMessageRequest): Promise<string>;
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const doFetch = options.fetch ?? fetch;
  const url = `${options.apiBase.replace(/\/+$/, "")}/${options.phoneNumberId}/messages`;
  return {
    async sendMessage(request) {
      let response: Response;
      try {
        response = await doFetch(url, {
          method: "POST",
          headers: {
            authorization: `Bearer ${options.token}`,
            "content-type": "application/json",
          },
          body: JSON.stringify(request),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        throw new ChannelSendError(
          "transient",
          `Graph API unreachable: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) throw sendErrorFrom(response.status, body);
      const id = (body as GraphSendResponse | null)?.messages?.[0]?.id;
      if (!id) throw new ChannelSendError("transient", "Graph API answered without a message id");
      return id;
    },
  };
}
