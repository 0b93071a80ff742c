// The gateway's HTTP side: POST /send, signed by the runtime, sends through the whatsapp-web.js
// session with bots/whatsapp-web's channel (its rendering, parts and failures) and answers with
// the WhatsApp id, so the runtime's outbox row records it and later acks match. GET /health says
// where the link stands. A refused request sends nothing.
import { Hono } from "hono";
import {
  type Channel,
  type ChannelContext,
  ChannelSendError,
  type OutboundMessage,
} from "../../src/contracts";
import { readSignedBody } from "./signed-request";
import { type SendRefusal, sendRequest } from "./wire";

/** Sends remembered per outbox row, so a retried request (its answer lost) sends nothing twice. */
const REMEMBERED_SENDS = 10_000;

export interface GatewayRoutesOptions {
  /** bots/whatsapp-web's channel over the gateway's link. */
  channel: Channel;
  secret: string;
  log: ChannelContext["log"];
  now: () => number;
  /** The link's state ("ready", "waiting for QR scan" …). */
  linkState: () => string;
}

const STATUS_FOR: Record<string, 422 | 502 | 503> = {
  rate_limited: 503,
  transient: 502,
};

export function gatewayRoutes({ channel, secret, log, now, linkState }: GatewayRoutesOptions) {
  /** outbox id → the send of it in progress or done (its WhatsApp id). */
  const sends = new Map<number, Promise<string>>();

  function sendOnce(message: OutboundMessage): Promise<string> {
    const known = sends.get(message.outboxId);
    if (known) return known;
    const sending = channel.send(message).then((receipt) => receipt.providerMessageId);
    sends.set(message.outboxId, sending);
    // A failed send is forgotten, so the outbox's retry tries again (resuming after sent parts).
    sending.catch(() => sends.delete(message.outboxId));
    if (sends.size > REMEMBERED_SENDS) sends.delete(sends.keys().next().value as number);
    return sending;
  }

  return new Hono()
    .get("/health", (c) => c.json({ status: "ok", whatsappWeb: linkState() }))
    .post("/send", async (c) => {
      const signed = await readSignedBody(c, secret, now());
      if (!signed.ok) {
        log.warn({ reason: signed.reason }, "send refused");
        return c.json(
          { error: { code: "unauthorized", message: "Invalid, stale or missing signature" } },
          401,
        );
      }
      const parsed = sendRequest.safeParse(signed.body);
      if (!parsed.success)
        return c.json(
          { error: { code: "rejected", message: "The request body is not a message to send" } },
          400,
        );
      const message: OutboundMessage = {
        ...parsed.data,
        channel: "whatsapp-web",
        kind: "gateway",
      };
      try {
        return c.json({ providerMessageId: await sendOnce(message) });
      } catch (error) {
        const failure =
          error instanceof ChannelSendError
            ? error
            : new ChannelSendError("transient", String(error));
        const { retryAfterMs } = failure.details;
        const refusal: SendRefusal = {
          error: {
            code: failure.failure,
            message: failure.message,
            ...(retryAfterMs === undefined ? {} : { details: { retryAfterMs } }),
          },
        };
        return c.json(refusal, STATUS_FOR[failure.failure] ?? 422);
      }
    });
}
