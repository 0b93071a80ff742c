// The two channels Twilio carries: SMS, and WhatsApp through Twilio. Same API, same webhook; they
// differ in address prefix, text limit, read receipts and how sends are counted against limits.
import type {
  Channel,
  ChannelCapabilities,
  ChannelName,
  OutboundMessage,
  SendLimits,
} from "../../src/contracts";
import { PartSender, renderForChannel } from "../../src/contracts";
import type { TwilioApi } from "./client";
import { renderCreateRequests, smsSegments, type TwilioSender } from "./render";

/** Twilio accepts up to 1600 characters in one SMS request (it concatenates the segments). */
export const SMS_CAPABILITIES: ChannelCapabilities = {
  buttons: false,
  readReceipts: false,
  inlineReply: true,
  phoneAddressed: true,
  maxTextLength: 1600,
  carrierKeywords: true,
};

/** WhatsApp bodies may be 4096 characters; Twilio reports "read" for them. */
export const TWILIO_WHATSAPP_CAPABILITIES: ChannelCapabilities = {
  buttons: false,
  readReceipts: true,
  inlineReply: true,
  phoneAddressed: true,
  maxTextLength: 4096,
  carrierKeywords: true,
};

export const TWILIO_CAPABILITIES: Record<"sms" | "twilio-whatsapp", ChannelCapabilities> = {
  sms: SMS_CAPABILITIES,
  "twilio-whatsapp": TWILIO_WHATSAPP_CAPABILITIES,
};

export interface TwilioChannelOptions {
  api: TwilioApi;
  sender: TwilioSender;
  publicBaseUrl: string;
  /** SMS: segments a second; WhatsApp: messages a second (config.channels.twilio). */
  perSecond: number;
}

function createTwilioChannel(
  name: ChannelName,
  capabilities: ChannelCapabilities,
  sendCost: (message: OutboundMessage) => number,
  { api, sender, publicBaseUrl, perSecond }: TwilioChannelOptions,
): Channel {
  const limits: SendLimits = { perSecond };
  const parts = new PartSender();
  return {
    name,
    capabilities,
    limits,
    sendCost,
    async send(message) {
      const requests = renderCreateRequests(message, { capabilities, sender, publicBaseUrl });
      // Parts leave in order; the row's receipt is the last part's sid. Twilio has no idempotency
      // key for messages: a retry after a later part failed resumes after the parts that went.
      const sid = await parts.send(
        message.outboxId,
        requests,
        async (request) => (await api.createMessage(request)).sid,
      );
      return { providerMessageId: sid };
    },
  };
}

/** SMS through Twilio: a send costs its segments against the long code's segments per second. */
export function createSmsChannel(options: TwilioChannelOptions): Channel {
  const cost = (message: OutboundMessage) =>
    renderForChannel(message, SMS_CAPABILITIES)
      .parts.map(smsSegments)
      .reduce((sum, segments) => sum + segments, 0);
  return createTwilioChannel("sms", SMS_CAPABILITIES, cost, options);
}

/** WhatsApp through Twilio: the address is stored bare and sent as `whatsapp:+…`. */
export function createTwilioWhatsAppChannel(options: TwilioChannelOptions): Channel {
  const cost = (message: OutboundMessage) =>
    renderForChannel(message, TWILIO_WHATSAPP_CAPABILITIES).parts.length;
  return createTwilioChannel("twilio-whatsapp", TWILIO_WHATSAPP_CAPABILITIES, cost, options);
}
