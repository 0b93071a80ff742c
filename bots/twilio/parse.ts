// Twilio's webhook parameters, made channel-neutral (pure): an inbound message becomes an
// InboundMessage, a status callback a DeliveryReceipt.
// Inbound: https://www.twilio.com/docs/messaging/guides/webhook-request
// Status: https://www.twilio.com/docs/messaging/guides/outbound-message-status-in-status-callbacks
import {
  type Attachment,
  type ChannelName,
  type Contact,
  type DeliveryReceipt,
  type DeliveryStatus,
  type InboundMessage,
  normalizePhone,
} from "../../src/contracts";
import type { TwilioParams } from "./signature";

/** Twilio's channel addresses: `whatsapp:+1…` for WhatsApp, a bare number for SMS. */
const WHATSAPP_PREFIX = "whatsapp:";
/** Twilio delivers at most 10 media items with one message. */
const MAX_MEDIA = 10;

export type InboundParse =
  | { kind: "message"; message: InboundMessage }
  /** Authentic, but nothing we can act on: acknowledge so Twilio does not retry, and log. */
  | { kind: "unusable"; reason: string }
  /** Not a Twilio message at all (required fields missing). */
  | { kind: "malformed"; reason: string };

export type StatusParse =
  | { kind: "receipt"; receipt: DeliveryReceipt; recipient: Contact | null }
  /** A status that says nothing we track (queued, accepted, sending …). */
  | { kind: "ignored"; status: string }
  | { kind: "malformed"; reason: string };

/** Twilio's statuses that move an outbox row; the others are steps before "sent". */
const RECEIPT_STATUSES: Record<string, DeliveryStatus> = {
  sent: "sent",
  delivered: "delivered",
  read: "read",
  undelivered: "undelivered",
  failed: "failed",
};

/** The first value of a form field, or undefined when absent or empty. */
function field(params: TwilioParams, key: string): string | undefined {
  const value = params[key];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === "" ? undefined : first;
}

/** Which of our channels a Twilio address belongs to, and its number; null for other channels. */
export function channelOfTwilioAddress(
  raw: string,
): { channel: ChannelName; number: string } | null {
  if (raw.startsWith(WHATSAPP_PREFIX))
    return { channel: "twilio-whatsapp", number: raw.slice(WHATSAPP_PREFIX.length) };
  // Anything else with a prefix (messenger:, rcs: …) is a Twilio channel we don't serve.
  if (/^\+?\d/.test(raw)) return { channel: "sms", number: raw };
  return null;
}

function mediaOf(params: TwilioParams): Attachment[] {
  const count = Math.min(Number.parseInt(field(params, "NumMedia") ?? "0", 10) || 0, MAX_MEDIA);
  const media: Attachment[] = [];
  for (let index = 0; index < count; index++) {
    const url = field(params, `MediaUrl${index}`);
    const contentType = field(params, `MediaContentType${index}`);
    if (url) media.push({ url, ...(contentType ? { contentType } : {}) });
  }
  return media;
}

export interface InboundParseOptions {
  defaultCountry: string;
  /** The channels that are on: a WhatsApp message while twilio-whatsapp is off cannot be answered. */
  channels: ReadonlySet<ChannelName>;
  now: number;
}

export function parseTwilioInbound(
  params: TwilioParams,
  options: InboundParseOptions,
): InboundParse {
  const messageSid = field(params, "MessageSid");
  const from = field(params, "From");
  if (!messageSid || !from)
    return { kind: "malformed", reason: "MessageSid and From are required" };
  const sender = channelOfTwilioAddress(from);
  if (!sender) return { kind: "unusable", reason: "a sender on a Twilio channel we don't serve" };
  if (!options.channels.has(sender.channel))
    return { kind: "unusable", reason: `${sender.channel} is off` };
  const address = normalizePhone(sender.number, options.defaultCountry);
  if (!address) return { kind: "unusable", reason: "the sender is not a phone number" };
  const text = field(params, "Body") ?? "";
  const media = mediaOf(params);
  // A WhatsApp reply to one of our messages names it by the SID we got when we sent it.
  const replyTo = field(params, "OriginalRepliedMessageSid");
  // A shared location, a reaction or an empty message: nothing the conversation can read.
  if (text.trim() === "" && media.length === 0)
    return { kind: "unusable", reason: "no text and no media" };
  return {
    kind: "message",
    message: {
      channel: sender.channel,
      address,
      providerMessageId: messageSid,
      text,
      ...(media.length > 0 ? { media } : {}),
      ...(replyTo ? { replyTo } : {}),
      receivedAt: options.now,
    },
  };
}

/** Our outbox id, as the statusCallback URL carries it (`?outbox=12`). */
function outboxIdOf(query: string | undefined): number | undefined {
  if (!query || !/^\d{1,15}$/.test(query)) return undefined;
  const id = Number(query);
  return id > 0 ? id : undefined;
}

export function parseTwilioStatus(
  params: TwilioParams,
  options: { outboxQuery: string | undefined; partQuery?: string; defaultCountry: string },
): StatusParse {
  const messageSid = field(params, "MessageSid");
  const status = field(params, "MessageStatus");
  const to = field(params, "To");
  if (!messageSid || !status || !to)
    return { kind: "malformed", reason: "MessageSid, MessageStatus and To are required" };
  const deliveryStatus = RECEIPT_STATUSES[status];
  if (!deliveryStatus) return { kind: "ignored", status };
  // An earlier part of a text sent in several: its progress is not the message's (the last part's
  // is), but its failure is: the parent is missing part of the message.
  const failed = deliveryStatus === "failed" || deliveryStatus === "undelivered";
  if (options.partQuery === "earlier" && !failed) return { kind: "ignored", status };
  const recipient = channelOfTwilioAddress(to);
  if (!recipient) return { kind: "ignored", status };
  const address = normalizePhone(recipient.number, options.defaultCountry);
  const outboxId = outboxIdOf(options.outboxQuery);
  const errorCode = field(params, "ErrorCode");
  return {
    kind: "receipt",
    receipt: {
      channel: recipient.channel,
      providerMessageId: messageSid,
      ...(outboxId ? { outboxId } : {}),
      status: deliveryStatus,
      ...(errorCode ? { errorCode } : {}),
    },
    recipient: address ? { channel: recipient.channel, address } : null,
  };
}
