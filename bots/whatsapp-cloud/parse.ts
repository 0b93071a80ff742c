// Parses a WhatsApp Cloud API webhook payload (already authenticated and JSON-decoded) into
// inbound messages and delivery receipts (pure). Anything else is returned as "ignored" so the
// webhook can acknowledge and log it.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages
import { z } from "zod";
import {
  type DeliveryReceipt,
  type DeliveryStatus,
  type InboundMessage,
  normalizePhone,
} from "../../src/contracts";

const messageSchema = z.object({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: z.string().optional(),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string().min(1) }).optional(),
      list_reply: z.object({ id: z.string().min(1) }).optional(),
    })
    .optional(),
  /** A quick-reply button on a template message. */
  button: z.object({ payload: z.string().optional(), text: z.string().optional() }).optional(),
  /** Set when the person replied to (quoted) a message: `id` is that message's wamid. */
  context: z.object({ id: z.string().min(1).optional() }).optional(),
});

const statusSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  recipient_id: z.string().optional(),
  errors: z.array(z.object({ code: z.number().optional() })).optional(),
});

const changeSchema = z.object({
  field: z.string().optional(),
  value: z
    .object({
      metadata: z.object({ phone_number_id: z.string().optional() }).optional(),
      messages: z.array(z.unknown()).optional(),
      statuses: z.array(z.unknown()).optional(),
      errors: z.array(z.object({ code: z.number().optional() })).optional(),
    })
    .optional(),
});

const payloadSchema = z.object({
  object: z.string().optional(),
  entry: z.array(z.object({ changes: z.array(z.unknown()).optional() })),
});

/**
 * Whether a body has the shape of a webhook notification at all ({object, entry: [...]}), of
 * WhatsApp or of another product of the app: one that hasn't is malformed.
 */
export function isWebhookNotification(body: unknown): boolean {
  return payloadSchema.safeParse(body).success;
}

/** Something authentic we do not act on, described without personal data for the log. */
export interface IgnoredItem {
  what: string;
  reason: string;
}

export interface ParsedWebhook {
  messages: InboundMessage[];
  receipts: DeliveryReceipt[];
  ignored: IgnoredItem[];
}

export interface ParseOptions {
  /** Our business phone number id: changes for another number sharing the app are not ours. */
  phoneNumberId: string;
  defaultCountry: string;
  now: number;
}

const deliveryStatuses: Record<string, DeliveryStatus> = {
  sent: "sent",
  delivered: "delivered",
  read: "read",
  failed: "failed",
};

/** The text a message stands for: what was typed, or the id of the button or row tapped. */
function textOf(message: z.infer<typeof messageSchema>): string | null {
  switch (message.type) {
    case "text":
      return message.text?.body ?? null;
    case "interactive":
      return message.interactive?.button_reply?.id ?? message.interactive?.list_reply?.id ?? null;
    case "button":
      return message.button?.payload || message.button?.text || null;
    default:
      return null;
  }
}

function parseMessage(
  raw: unknown,
  options: ParseOptions,
): { message: InboundMessage } | { ignored: IgnoredItem } {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) return { ignored: { what: "message", reason: "unexpected shape" } };
  const message = parsed.data;
  const what = `${message.type} message`;
  const text = textOf(message);
  if (text === null || text.trim() === "") return { ignored: { what, reason: "not handled" } };
  // `from` is the sender's WhatsApp id: their number in international form without the "+".
  const address = normalizePhone(`+${message.from}`, options.defaultCountry);
  if (!address) return { ignored: { what, reason: "sender is not a phone number" } };
  const seconds = Number(message.timestamp);
  return {
    message: {
      channel: "whatsapp-cloud",
      address,
      providerMessageId: message.id,
      text,
      ...(message.context?.id ? { replyTo: message.context.id } : {}),
      receivedAt: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : options.now,
    },
  };
}

function parseStatus(raw: unknown): { receipt: DeliveryReceipt } | { ignored: IgnoredItem } {
  const parsed = statusSchema.safeParse(raw);
  if (!parsed.success) return { ignored: { what: "status", reason: "unexpected shape" } };
  const status = deliveryStatuses[parsed.data.status];
  if (!status) return { ignored: { what: `${parsed.data.status} status`, reason: "not handled" } };
  const code = parsed.data.errors?.find((error) => error.code !== undefined)?.code;
  return {
    receipt: {
      channel: "whatsapp-cloud",
      providerMessageId: parsed.data.id,
      status,
      ...(status === "failed" && code !== undefined ? { errorCode: String(code) } : {}),
    },
  };
}

/** Reads every change of every entry; returns null when the payload is not a webhook at all. */
export function parseWhatsAppWebhook(body: unknown, options: ParseOptions): ParsedWebhook | null {
  const payload = payloadSchema.safeParse(body);
  if (!payload.success || payload.data.object !== "whatsapp_business_account") return null;
  const result: ParsedWebhook = { messages: [], receipts: [], ignored: [] };
  for (const entry of payload.data.entry) {
    for (const rawChange of entry.changes ?? []) {
      const change = changeSchema.safeParse(rawChange);
      if (!change.success || !change.data.value) {
        result.ignored.push({ what: "change", reason: "unexpected shape" });
        continue;
      }
      const { field, value } = change.data;
      if (field !== "messages") {
        result.ignored.push({ what: `${field ?? "unnamed"} change`, reason: "not handled" });
        continue;
      }
      const number = value.metadata?.phone_number_id;
      if (number !== undefined && number !== options.phoneNumberId) {
        result.ignored.push({ what: "change", reason: "for another business phone number" });
        continue;
      }
      for (const raw of value.messages ?? []) {
        const item = parseMessage(raw, options);
        if ("message" in item) result.messages.push(item.message);
        else result.ignored.push(item.ignored);
      }
      for (const raw of value.statuses ?? []) {
        const item = parseStatus(raw);
        if ("receipt" in item) result.receipts.push(item.receipt);
        else result.ignored.push(item.ignored);
      }
      for (const error of value.errors ?? []) {
        result.ignored.push({ what: "error notice", reason: `code ${error.code ?? "unknown"}` });
      }
    }
  }
  return result;
}
