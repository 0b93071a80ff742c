// OutboundMessage → what whatsapp-web.js sends (pure): the person's chat id and the text parts.
// Options are numbered lines: the library's Buttons and List are deprecated (its Client.sendMessage
// warns "Buttons are now deprecated" and WhatsApp does not show them to most people).
import {
  type ChannelCapabilities,
  type OutboundMessage,
  renderForChannel,
} from "../../src/contracts";

/** "+14155550101" → "14155550101@c.us": a person's chat id is their number without the plus. */
export function chatIdFor(address: string): string {
  return `${address.replace(/\D/g, "")}@c.us`;
}

export interface WhatsAppWebSend {
  chatId: string;
  /** Sent in order, one sendMessage each. */
  parts: string[];
}

export function renderWhatsAppWebMessage(
  message: Pick<OutboundMessage, "address" | "text" | "options">,
  capabilities: Pick<ChannelCapabilities, "buttons" | "maxTextLength">,
): WhatsAppWebSend {
  return {
    chatId: chatIdFor(message.address),
    parts: renderForChannel(message, capabilities).parts,
  };
}
