// The gateway's HTTP side: POST /send, signed by the runtime, sends through the whatsapp-web.js
// session with bots/whatsapp-web's channel (its rendering, parts and failures) and answers with
// the WhatsApp id, so the runtime's outbox row records it and later acks match. GET /link, signed
// too, gives the runtime's staff page the link's state and QR code (drawn here, on Node). GET
// /health says where the link and the relay queue stand. A refused request sends and shows nothing.
import { type Context, Hono } from "hono";
import {
  type Channel,
  type ChannelContext,
  ChannelSendError,
  type OutboundMessage,
} from "../../src/contracts";
import type { WhatsAppWebLink } from "../whatsapp-web/link";
import { linkAnswer } from "../whatsapp-web/link-answer";
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
  /** The gateway's link: its state ("ready", "waiting for QR scan" …) and QR code. */
  link: Pick<WhatsAppWebLink, "describe" | "qr">;
  relayStatus: () => RelayStatus;
  /** Each outbox row's send, kept in the gateway's file. */
  sends: SendMemory;
}

const UNSIGNED: SendRefusal = {
  error: { code: "unauthorized", message: "Invalid, stale or missing signature" },
};

const STATUS_FOR: Record<string, 422 | 502 | 503> = {
  rate_limited: 503,
  transient: 502,
};

export function gatewayRoutes({
  channel,
  secret,
  log,
  now,
  link,
  relayStatus,
  sends,
}: GatewayRoutesOptions) {
  const refuse = (c: Context, what: string, reason: string) => {
    log.warn({ reason }, `${what} refused`);
    return c.json(UNSIGNED, 401);
  };
  return new Hono()
    .get("/health", (c) => {
      const relay = relayStatus();
      // Parentline refusing the gateway loses nothing (the relays are kept) but needs an operator.
      const refused = relay.state === "refused";
      return c.json(
        { status: refused ? "relay refused" : "ok", whatsappWeb: link.describe(), relay },
        refused ? 503 : 200,
      );
    })
    .get("/link", async (c) => {
      const signed = await readSignedBody(c, secret, now());
      if (!signed.ok) return refuse(c, "link", signed.reason);
      c.header("cache-control", "no-store");
      // The raw QR string links a phone to this session: it stays out of the logs.
      return c.json(await linkAnswer(link));
    })
    .post("/send", async (c) => {
      const signed = await readSignedBody(c, secret, now());
      if (!signed.ok) return refuse(c, "send", signed.reason);
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
