// The gateway's HTTP side: POST /send, signed by the runtime, sends through the whatsapp-web.js
// session with bots/whatsapp-web's channel (its rendering, parts and failures) and answers with
// the WhatsApp id, so the runtime's outbox row records it and later acks match. GET /health says
// where the link and the relay queue stand. A refused request sends nothing.
import { Hono } from "hono";
import {
  type Channel,
  type ChannelContext,
  ChannelSendError,
  type OutboundMessage,
} from "../../src/contracts";
import type { RelayStatus } from "./relay-queue";
import type { SendMemory } from "./send-memory";
import { readSignedBody } from "./signed-request";
import { type SendRefusal, sendRequest } from "./wire";

export interface GatewayRoutesOptions {
  /** bots/whatsapp-web's channel over the gateway's link. */
  channel: Channel;
  secret: string;
  log: ChannelContext["log"];
  now: () => number;
  /** The link's state ("ready", "waiting for QR scan" …). */
  linkState: () => string;
  relayStatus: () => RelayStatus;
  /** Each outbox row's send, kept in the gateway's file. */
  sends: SendMemory;
}

const STATUS_FOR: Record<string, 422 | 502 | 503> = {
  rate_limited: 503,
  transient: 502,
};

export function gatewayRoutes({
  channel,
  secret,
  log,
  now,
  linkState,
  relayStatus,
  sends,
}: GatewayRoutesOptions) {
  return new Hono()
    .get("/health", (c) => {
      const relay = relayStatus();
      // Parentline refusing the gateway loses nothing (the relays are kept) but needs an operator.
      const refused = relay.state === "refused";
      return c.json(
        { status: refused ? "relay refused" : "ok", whatsappWeb: linkState(), relay },
        refused ? 503 : 200,
      );
    })
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
        return c.json({
          providerMessageId: await sends.sendOnce(parsed.data, () =>
            channel.send(message).then((receipt) => receipt.providerMessageId),
          ),
        });
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
