// GET|POST /webhooks/whatsapp: Meta's verification handshake, and signed notifications (messages
// and statuses). Thin: check the signature on the raw bytes, parse, hand to the inbound road, send
// the replies, answer 200 (Meta retries anything else, for days).
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/overview
import { Hono } from "hono";
import {
  ApiError,
  type AppEnv,
  type ChannelContext,
  type InboundRoadHandle,
} from "../../src/contracts";
import { isWebhookNotification, parseWhatsAppWebhook } from "./parse";
import { isSignedByMeta, secretsMatch } from "./signature";

export interface WhatsAppWebhookOptions {
  road: InboundRoadHandle;
  log: ChannelContext["log"];
  appSecret: string;
  verifyToken: string;
  phoneNumberId: string;
  defaultCountry: string;
  now?: () => number;
}

export function whatsAppCloudRoutes({
  road,
  log,
  appSecret,
  verifyToken,
  phoneNumberId,
  defaultCountry,
  now = Date.now,
}: WhatsAppWebhookOptions) {
  return new Hono<AppEnv>()
    .get("/", (c) => {
      const mode = c.req.query("hub.mode");
      const token = c.req.query("hub.verify_token") ?? "";
      const challenge = c.req.query("hub.challenge") ?? "";
      if (mode !== "subscribe" || !secretsMatch(token, verifyToken) || challenge === "") {
        log.warn({ mode }, "whatsapp-cloud webhook verification refused");
        throw new ApiError(403, "forbidden", "Webhook verification refused");
      }
      log.info("whatsapp-cloud webhook verified");
      return c.text(challenge, 200);
    })
    .post("/", async (c) => {
      const refuse = (reason: string) => {
        log.warn({ reason }, "whatsapp-cloud webhook refused");
        return new ApiError(401, "unauthorized", "Invalid or missing X-Hub-Signature-256");
      };
      // Unsigned is refused unread. The signature covers the bytes Meta sent, so those are read
      // (decoding or re-encoding first would break it) before it can be checked.
      const signature = c.req.header("x-hub-signature-256");
      if (!signature) throw refuse("no signature");
      const rawBody = new Uint8Array(await c.req.arrayBuffer());
      if (!isSignedByMeta(rawBody, signature, appSecret)) throw refuse("signature mismatch");
      let body: unknown;
      try {
        body = JSON.parse(new TextDecoder().decode(rawBody));
      } catch {
        throw new ApiError(400, "bad_request", "The request body is not valid JSON");
      }
      if (!isWebhookNotification(body))
        throw new ApiError(400, "bad_request", "The request body is not a webhook notification");
      const parsed = parseWhatsAppWebhook(body, { phoneNumberId, defaultCountry, now: now() });
      if (!parsed) {
        // Another product's notification (a Page's, say) sent to the same app's webhook.
        log.warn("whatsapp-cloud webhook: not a WhatsApp Business Account notification");
        return c.body(null, 200);
      }
      for (const item of parsed.ignored) log.info(item, "whatsapp-cloud webhook item ignored");

      const outboxIds: number[] = [];
      for (const message of parsed.messages) {
        const outcome = await road.receive(message);
        if (!outcome.accepted) log.info("whatsapp-cloud message replayed: acknowledged, no effect");
        outboxIds.push(...outcome.outboxIds);
      }
      for (const receipt of parsed.receipts) {
        const moved = await road.recordReceipt(receipt);
        log.debug(
          { status: receipt.status, errorCode: receipt.errorCode, moved },
          "whatsapp-cloud status",
        );
      }
      // Sent while Meta gets its 200: the messages are handled once their steps have committed.
      road.deliverSoon(outboxIds);
      return c.body(null, 200);
    });
}
