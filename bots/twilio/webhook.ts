// Twilio's webhooks: POST /webhooks/twilio (inbound SMS and WhatsApp) and /webhooks/twilio/status
// (delivery receipts). Thin: check the signature, parse, hand to the inbound road, answer fast —
// with the replies inline as TwiML when the conversation produced them in time.
import { type Context, Hono } from "hono";
import {
  ApiError,
  type AppEnv,
  type Channel,
  type ChannelContext,
  type ChannelName,
  type InboundMessage,
  type InboundOutcome,
  type InboundRoadHandle,
} from "../../src/contracts";
import { UNSUBSCRIBED_RECIPIENT } from "./client";
import { parseTwilioInbound, parseTwilioStatus } from "./parse";
import { renderTwiml } from "./render";
import { isSignedByTwilio, type TwilioParams } from "./signature";

/**
 * How long a webhook waits for the conversation before answering with an empty <Response/> and
 * leaving the replies to the dispatcher. Twilio gives up on a webhook after 15 seconds.
 * https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides
 */
export const INLINE_REPLY_BUDGET_MS = 5_000;

export interface TwilioRoutesOptions {
  road: InboundRoadHandle;
  /** The Twilio channels that are on, by name: what they can render, and which may write to us. */
  channels: ReadonlyMap<ChannelName, Channel>;
  authToken: string;
  /** The URL Twilio calls us at; signatures are computed over it, not over what a proxy forwards. */
  publicBaseUrl: string;
  defaultCountry: string;
  log: ChannelContext["log"];
  now?: () => number;
  inlineReplyBudgetMs?: number;
}

const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";

/** The form body as Twilio's validator wants it; 400 when it is not a form at all. */
async function formParams(c: Context<AppEnv>): Promise<TwilioParams> {
  const contentType = c.req.header("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith(FORM_CONTENT_TYPE)) {
    throw new ApiError(400, "malformed_webhook", `Twilio webhooks are ${FORM_CONTENT_TYPE}`);
  }
  const params: TwilioParams = {};
  for (const [key, value] of new URLSearchParams(await c.req.text())) {
    const seen = params[key];
    params[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return params;
}

/** The raw query string as called ("?outbox=12"), or "" — signed as Twilio sent it. */
function rawQuery(url: string): string {
  const start = url.indexOf("?");
  return start === -1 ? "" : url.slice(start);
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export function twilioRoutes({
  road,
  channels,
  authToken,
  publicBaseUrl,
  defaultCountry,
  log,
  now = Date.now,
  inlineReplyBudgetMs = INLINE_REPLY_BUDGET_MS,
}: TwilioRoutesOptions) {
  const base = publicBaseUrl.replace(/\/+$/, "");
  const channelNames = new Set(channels.keys());

  const renderOptions = {
    publicBaseUrl: base,
    capabilitiesOf: (message: { channel: ChannelName }) => {
      const channel = channels.get(message.channel);
      if (!channel) throw new Error(`no Twilio channel ${message.channel}`);
      return channel.capabilities;
    },
  };
  const twiml = (c: Context<AppEnv>, body: string) =>
    c.body(body, 200, { "content-type": "text/xml; charset=utf-8" });
  const emptyResponse = (c: Context<AppEnv>) => twiml(c, renderTwiml([], renderOptions));

  /** The form, once its X-Twilio-Signature proves it is Twilio's; 403 and one log line if not. */
  async function signedParams(c: Context<AppEnv>, route: string): Promise<TwilioParams> {
    const refuse = (reason: string) => {
      log.warn({ route, reason }, "twilio webhook refused");
      return new ApiError(403, "forbidden", "X-Twilio-Signature is missing or does not match");
    };
    // Unsigned is refused unread; a signature is checked over the form's fields, so the body is
    // read (and a body that is not a form is malformed, 400) before the signature can be.
    const signature = c.req.header("x-twilio-signature");
    if (!signature) throw refuse("no signature");
    const params = await formParams(c);
    const url = `${base}${c.req.path}${rawQuery(c.req.url)}`;
    if (!isSignedByTwilio(authToken, signature, url, params)) throw refuse("signature mismatch");
    return params;
  }

  /**
   * The road's outcome if it comes within the budget; "late" otherwise (it carries on, and its
   * replies are left to the dispatcher: the road asks whether the webhook still waits as it writes).
   */
  async function receiveWithinBudget(message: InboundMessage): Promise<InboundOutcome | "late"> {
    let waiting = true;
    const settled: Promise<Settled<InboundOutcome>> = road
      .receive(message, { waiting: () => waiting })
      .then(
        (value) => ({ ok: true, value }),
        (error: unknown) => ({ ok: false, error }),
      );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => {
        waiting = false;
        resolve("late");
      }, inlineReplyBudgetMs);
    });
    const first = await Promise.race([settled, late]);
    clearTimeout(timer);
    if (first === "late") {
      void settled.then((outcome) => {
        if (!outcome.ok)
          log.error({ err: outcome.error }, "twilio message failed after the budget");
      });
      return "late";
    }
    if (!first.ok) throw first.error;
    return first.value;
  }

  return new Hono<AppEnv>()
    .post("/", async (c) => {
      const params = await signedParams(c, "inbound");
      const parsed = parseTwilioInbound(params, {
        defaultCountry,
        channels: channelNames,
        now: now(),
      });
      if (parsed.kind === "malformed") throw new ApiError(400, "malformed_webhook", parsed.reason);
      if (parsed.kind === "unusable") {
        log.info(
          { messageSid: params.MessageSid, reason: parsed.reason },
          "twilio message ignored",
        );
        return emptyResponse(c);
      }
      const { message } = parsed;
      const outcome = await receiveWithinBudget(message);
      if (outcome === "late") {
        log.info(
          { messageSid: message.providerMessageId, budgetMs: inlineReplyBudgetMs },
          "twilio replies left to the dispatcher",
        );
        return emptyResponse(c);
      }
      // A replay (accepted: false) has no replies, so it is answered with the empty <Response/>.
      return twiml(c, renderTwiml(outcome.inlineReplies ?? [], renderOptions));
    })
    .post("/status", async (c) => {
      const params = await signedParams(c, "status");
      const parsed = parseTwilioStatus(params, {
        outboxQuery: c.req.query("outbox"),
        partQuery: c.req.query("part"),
        defaultCountry,
      });
      if (parsed.kind === "malformed") throw new ApiError(400, "malformed_webhook", parsed.reason);
      if (parsed.kind === "receipt") {
        const { receipt, recipient } = parsed;
        await road.recordReceipt(receipt);
        if (receipt.errorCode === UNSUBSCRIBED_RECIPIENT && recipient)
          await road.setOptedOut(recipient, true, `twilio error ${UNSUBSCRIBED_RECIPIENT}`);
      }
      return emptyResponse(c);
    });
}
