// The WhatsApp Cloud API channel: free-form messages inside the 24-hour customer-service window,
// the approved template outside it, or an "outside_window" failure so the outbox falls back to SMS.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/send-messages
import { type Channel, ChannelSendError, type OutboundMessage } from "../../src/contracts";
import type { GraphClient } from "./client";
import {
  type GraphMessageRequest,
  renderSessionMessage,
  renderTemplateMessage,
  WHATSAPP_LIMITS,
  type WhatsAppTemplate,
} from "./render";

/** Free-form messages may go this long after the person's last message. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * Meta counts the window from when the person's message reached WhatsApp; we count from when its
 * webhook reached us, a little later. Closing early by this much keeps us on the safe side.
 */
const WINDOW_MARGIN_MS = 5 * 60 * 1000;

export interface WhatsAppCloudChannelOptions {
  client: GraphClient;
  perSecond: number;
  /** The approved template for messages outside the window; without one they fall back to SMS. */
  template?: WhatsAppTemplate;
  now?: () => number;
}

type RequestPlan = { ok: true; requests: GraphMessageRequest[] } | { ok: false };

/** The requests one message takes: free-form inside the window, the template outside it. */
function planRequests(
  message: OutboundMessage,
  template: WhatsAppTemplate | undefined,
  now: number,
): RequestPlan {
  const inWindow =
    message.lastInboundAt !== undefined &&
    now - message.lastInboundAt < CUSTOMER_SERVICE_WINDOW_MS - WINDOW_MARGIN_MS;
  if (inWindow) return { ok: true, requests: renderSessionMessage(message) };
  if (!template) return { ok: false };
  return { ok: true, requests: renderTemplateMessage(message, template) };
}

export function createWhatsAppCloudChannel({
  client,
  perSecond,
  template,
  now = Date.now,
}: WhatsAppCloudChannelOptions): Channel {
  return {
    name: "whatsapp-cloud",
    capabilities: {
      buttons: true,
      readReceipts: true,
      inlineReply: false,
      phoneAddressed: true,
      maxTextLength: WHATSAPP_LIMITS.textLength,
      carrierKeywords: false,
      customerServiceWindowMs: CUSTOMER_SERVICE_WINDOW_MS,
    },
    limits: { perSecond },
    sendCost(message) {
      const plan = planRequests(message, template, now());
      return plan.ok ? plan.requests.length : 1;
    },
    // Outside the window with no template, the send fails before calling Meta.
    requestsFor(message) {
      const plan = planRequests(message, template, now());
      return plan.ok ? plan.requests.length : 0;
    },
    async send(message) {
      const plan = planRequests(message, template, now());
      if (!plan.ok) {
        throw new ChannelSendError(
          "outside_window",
          "outside the 24-hour window and no WHATSAPP_CLOUD_TEMPLATE is configured",
        );
      }
      // Parts go one after the other so they arrive in order; the last one's id is the receipt
      // (it carries the buttons, and its read receipt means the whole message was seen).
      let providerMessageId = "";
      for (const request of plan.requests) providerMessageId = await client.sendMessage(request);
      return { providerMessageId };
    },
  };
}
