// whatsapp-web.js events → the channel-neutral vocabulary (pure): a private text message becomes an
// InboundMessage, an ack becomes a DeliveryReceipt, and everything else says why it is ignored.
import {
  type DeliveryReceipt,
  type DeliveryStatus,
  type InboundMessage,
  normalizePhone,
} from "../../src/contracts";
import { MessageAck, type WhatsAppWebMessage } from "./client";

export type ParsedWhatsAppWebMessage =
  | { kind: "message"; message: InboundMessage }
  /** A private chat under a hidden id (WhatsApp's LIDs): its phone must be looked up first. */
  | { kind: "hidden number"; lid: string }
  | { kind: "ignored"; reason: string };

export interface ParseOptions {
  defaultCountry: string;
  receivedAt: number;
  /** The phone chat id ("<digits>@c.us") a hidden "<id>@lid" sender was resolved to. */
  phoneChatId?: string;
}

const PERSON = /^(\d{6,15})@c\.us$/;

/** Why a message is not one we answer, or null when it is a private message from a person. */
function ignoreReason(raw: WhatsAppWebMessage): string | null {
  if (raw.fromMe) return "our own message";
  if (raw.isStatus || raw.from === "status@broadcast") return "status broadcast";
  if (raw.from.endsWith("@g.us") || raw.author) return "group chat";
  if (raw.broadcast || raw.from.endsWith("@broadcast")) return "broadcast list";
  if (raw.type !== "chat") return `unsupported type ${raw.type}`;
  if (raw.body.trim() === "") return "empty text";
  return null;
}

export function parseWhatsAppWebMessage(
  raw: WhatsAppWebMessage,
  { defaultCountry, receivedAt, phoneChatId }: ParseOptions,
): ParsedWhatsAppWebMessage {
  const reason = ignoreReason(raw);
  if (reason) return { kind: "ignored", reason };
  const chatId = phoneChatId ?? raw.from;
  if (chatId.endsWith("@lid")) return { kind: "hidden number", lid: chatId };
  const digits = PERSON.exec(chatId)?.[1];
  const address = digits ? normalizePhone(`+${digits}`, defaultCountry) : null;
  if (!address) return { kind: "ignored", reason: "not a person's chat" };
  // A quote names the quoted message by its key; one of ours in this chat was recorded by send()
  // as "true_<chat>_<key>".
  const quoted = raw.hasQuotedMsg ? raw._data?.quotedStanzaID : undefined;
  return {
    kind: "message",
    message: {
      channel: "whatsapp-web",
      address,
      providerMessageId: raw.id._serialized,
      text: raw.body,
      ...(quoted ? { replyTo: `true_${chatId}_${quoted}` } : {}),
      receivedAt,
    },
  };
}

/** MessageAck → where the message got; PENDING (still on our side) says nothing new. */
const statusForAck: Record<number, DeliveryStatus> = {
  [MessageAck.ERROR]: "failed",
  [MessageAck.SERVER]: "sent",
  [MessageAck.DEVICE]: "delivered",
  [MessageAck.READ]: "read",
  [MessageAck.PLAYED]: "read",
};

/** A receipt for one of our messages, or null (an ack on someone else's, or a pending one). */
export function receiptFromAck(raw: WhatsAppWebMessage, ack: number): DeliveryReceipt | null {
  const status = statusForAck[ack];
  if (!raw.fromMe || !status) return null;
  return { channel: "whatsapp-web", providerMessageId: raw.id._serialized, status };
}
