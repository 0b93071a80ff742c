// The two channels Twilio carries: SMS, and WhatsApp through Twilio. Same API, same webhook; they
// differ in address prefix, text limit, read receipts and how sends are counted against limits.
import type { Channel, ChannelCapabilities, ChannelName, SendLimits } from "../../src/contracts";
import { forSms, PartSender, renderForChannel } from "../../src/contracts";
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
  partCost: (part: string) => number,
  { api, sender, publicBaseUrl, perSecond }: TwilioChannelOptions,
): Channel {
  const limits: SendLimits = { perSecond };
  const parts = new PartSender();
  return {
    name,
    capabilities,
    limits,
    // The parts still to go (all of them but on a resumed retry), each at its own cost.
    sendCost(message) {
      const all = renderForChannel(name === "sms" ? forSms(message) : message, capabilities).parts;
      const toGo = all.slice(all.length - parts.remaining(message.outboxId, all.length));
      return toGo.reduce((sum, part) => sum + partCost(part), 0);
    },
    // One Messages API call per part still to go, whatever its segments.
    requestsFor(message) {
      const requests = renderCreateRequests(message, { capabilities, sender, publicBaseUrl });
      return parts.remaining(message.outboxId, requests.length);
    },
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
  return createTwilioChannel("sms", SMS_CAPABILITIES, smsSegments, options);
}

/** WhatsApp through Twilio: the address is stored bare and sent as `whatsapp:+…`. */
export function createTwilioWhatsAppChannel(options: TwilioChannelOptions): Channel {
  return createTwilioChannel("twilio-whatsapp", TWILIO_WHATSAPP_CAPABILITIES, () => 1, options);
}
