// POST /webhooks/whatsapp-web: what the gateway relays (a WhatsApp Web message it parsed, or an
// ack as a receipt). Thin: the signature and its timestamp are checked before the body is used,
// then the message takes the inbound road (which dedupes on its WhatsApp id, so a relay retried
// after a lost answer changes nothing) and the receipt moves its outbox row.
import { Hono } from "hono";
import {
  ApiError,
  type AppEnv,
  type ChannelContext,
  type InboundRoadHandle,
} from "../../src/contracts";
import { readSignedBody } from "./signed-request";
import { relayBody } from "./wire";

export interface GatewayWebhookOptions {
  road: InboundRoadHandle;
  log: ChannelContext["log"];
  secret: string;
  now: () => number;
}

export function gatewayWebhookRoutes({ road, log, secret, now }: GatewayWebhookOptions) {
  return new Hono<AppEnv>().post("/", async (c) => {
    const signed = await readSignedBody(c, secret, now());
    if (!signed.ok) {
      log.warn({ reason: signed.reason }, "whatsapp-gateway relay refused");
      throw new ApiError(401, "unauthorized", "Invalid, stale or missing gateway signature");
    }
    const parsed = relayBody.safeParse(signed.body);
    if (!parsed.success)
      throw new ApiError(400, "bad_request", "The request body is not a gateway relay");
    const relay = parsed.data;
    if (relay.kind === "receipt") {
      const moved = await road.recordReceipt(relay.receipt);
      log.debug({ status: relay.receipt.status, moved }, "whatsapp-gateway receipt");
      return c.json({ moved });
    }
    const outcome = await road.receive({ ...relay.message, receivedAt: now() });
    if (!outcome.accepted) log.info("whatsapp-gateway message replayed: acknowledged, no effect");
    // Sent while the gateway gets its answer: the replies go back through its /send.
    road.deliverSoon(outcome.outboxIds);
    return c.json({ accepted: outcome.accepted });
  });
}
