// OutboundMessage → what whatsapp-web.js sends (pure): the person's chat id and the text parts; an
// attachment as its link on the text's last line (WhatsApp shows a preview of a link it can fetch).
// Options are numbered lines: the library's Buttons and List are deprecated (its Client.sendMessage
// warns "Buttons are now deprecated" and WhatsApp does not show them to most people).
import {
  type ChannelCapabilities,
  type OutboundMessage,
  renderForChannel,
  textWithLinks,
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
  message: Pick<OutboundMessage, "address" | "text" | "options" | "media">,
  capabilities: Pick<ChannelCapabilities, "buttons" | "maxTextLength">,
): WhatsAppWebSend {
  const text = textWithLinks(message.text, message.media);
  return {
    chatId: chatIdFor(message.address),
    parts: renderForChannel(
      { text, ...(message.options ? { options: message.options } : {}) },
      capabilities,
    ).parts,
  };
}
