// The Twilio REST API through the twilio library: the only IO of this folder. Sends one message and
// says why Twilio refused one, in the dispatcher's terms (ChannelSendError).
// Errors: https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions
import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient";
import { ChannelSendError } from "../../src/contracts";
import type { TwilioCreateRequest } from "./render";

/** Twilio's code for "the recipient replied STOP": they must not be written to again. */
export const UNSUBSCRIBED_RECIPIENT = "21610";

export interface TwilioApi {
  /** Creates one message; throws ChannelSendError when Twilio refuses it or cannot be reached. */
  createMessage(request: TwilioCreateRequest): Promise<{ sid: string }>;
}

export interface TwilioApiOptions {
  accountSid: string;
  authToken: string;
  /** Sends API calls here instead of https://api.twilio.com (a regional edge, a test double). */
  apiBase?: string;
  /** The longest one call may take (TWILIO_TIMEOUT_MS), answer included. */
  timeoutMs: number;
}

/** A 429 keeps the Retry-After header the library's RestException drops. */
class RateLimitedException extends twilio.RestException {
  constructor(
    response: { statusCode: number; body: unknown },
    readonly retryAfterMs: number | undefined,
  ) {
    super(response);
  }
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
function retryAfterMsOf(header: unknown, now = Date.now()): number | undefined {
  if (typeof header !== "string" || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** axios's codes for a call it ended: its own timeout, or our signal's. */
const GAVE_UP = new Set<unknown>(["ECONNABORTED", "ETIMEDOUT", "ERR_CANCELED"]);

/**
 * The library's HTTP client, pointed at `apiBase` when one is set, keeping 429's Retry-After. Its
 * own timeout covers the connection and a silent socket; the signal also ends an answer that
 * trickles in for longer than the whole call may take.
 */
class TwilioRequestClient extends twilio.RequestClient {
  constructor(
    private readonly apiBase: string | undefined,
    private readonly timeoutMs: number,
  ) {
    super({ timeout: timeoutMs });
    this.axios.interceptors.request.use((config) => {
      config.signal = AbortSignal.timeout(timeoutMs);
      return config;
    });
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const uri = this.apiBase ? rebase(opts.uri, this.apiBase) : opts.uri;
    const response = await super.request({ ...opts, uri }).catch((error: unknown) => {
      throw GAVE_UP.has((error as { code?: unknown }).code)
        ? new Error(`no answer within ${this.timeoutMs} ms`)
        : error;
    });
    if (response.statusCode === 429) {
      const headers = response.headers as Record<string, unknown> | undefined;
      throw new RateLimitedException(response, retryAfterMsOf(headers?.["retry-after"]));
    }
    return response;
  }
}

/** https://api.twilio.com/2010-04-01/… → <apiBase>/2010-04-01/… */
function rebase(uri: string, apiBase: string): string {
  const original = new URL(uri);
  return `${apiBase.replace(/\/+$/, "")}${original.pathname}${original.search}`;
}

/** Twilio's refusal in the dispatcher's terms; no Twilio message text (it may quote the number). */
export function sendErrorFrom(error: unknown): ChannelSendError {
  if (!(error instanceof twilio.RestException)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new ChannelSendError("transient", `Twilio unreachable: ${reason}`);
  }
  const status = error.status;
  const providerCode = error.code === undefined ? undefined : String(error.code);
  const described = `Twilio error ${providerCode ?? "without code"} (HTTP ${status})`;
  const details = providerCode ? { providerCode } : {};
  if (status === 429) {
    const retryAfterMs = error instanceof RateLimitedException ? error.retryAfterMs : undefined;
    return new ChannelSendError("rate_limited", described, {
      ...details,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (providerCode === UNSUBSCRIBED_RECIPIENT)
    return new ChannelSendError("blocked", `${described}: the recipient unsubscribed`, details);
  if (status >= 400 && status < 500) return new ChannelSendError("rejected", described, details);
  return new ChannelSendError("transient", described, details);
}

export function createTwilioApi(options: TwilioApiOptions): TwilioApi {
  const client = twilio(options.accountSid, options.authToken, {
    httpClient: new TwilioRequestClient(options.apiBase, options.timeoutMs),
  });
  return {
    async createMessage(request) {
      try {
        const message = await client.messages.create(request);
        return { sid: message.sid };
      } catch (error) {
        throw sendErrorFrom(error);
      }
    },
  };
}
