// The WhatsApp Web channel: numbered options, read receipts from acks, and conservative pacing
// (one message every sendIntervalMs plus up to sendJitterMs), since WhatsApp bans numbers that blast.
import {
  type Channel,
  type ChannelCapabilities,
  ChannelSendError,
  PartSender,
  type SendLimits,
} from "../../src/contracts";
import type { WhatsAppWebLink } from "./link";
import { renderWhatsAppWebMessage } from "./render";

export const whatsappWebCapabilities: ChannelCapabilities = {
  buttons: false,
  readReceipts: true,
  inlineReply: false,
  phoneAddressed: true,
  carrierKeywords: false,
  // WhatsApp takes far longer texts; 4096 keeps one message readable on a phone.
  maxTextLength: 4096,
};

export interface WhatsAppWebPacing {
  sendIntervalMs: number;
  sendJitterMs: number;
}

/** The dispatcher's pacer keeps to these: the one place this channel's send rate is set. */
export function whatsappWebLimits({ sendIntervalMs, sendJitterMs }: WhatsAppWebPacing): SendLimits {
  return {
    perSecond: sendIntervalMs > 0 ? 1000 / sendIntervalMs : 1000,
    ...(sendJitterMs > 0 ? { jitterMs: sendJitterMs } : {}),
  };
}

export interface WhatsAppWebChannelOptions {
  link: Pick<WhatsAppWebLink, "readyClient">;
  pacing: WhatsAppWebPacing;
}

/** How long the outbox waits before trying again while the session is not linked. */
export const NOT_LINKED_RETRY_MS = 15_000;

export function createWhatsAppWebChannel({ link, pacing }: WhatsAppWebChannelOptions): Channel {
  const sender = new PartSender();
  return {
    name: "whatsapp-web",
    capabilities: whatsappWebCapabilities,
    limits: whatsappWebLimits(pacing),
    // Each part of a long text still to go is a WhatsApp message of its own, paced like any other.
    sendCost: (message) =>
      sender.remaining(
        message.outboxId,
        renderWhatsAppWebMessage(message, whatsappWebCapabilities).parts.length,
      ),
    async send(message) {
      const client = link.readyClient();
      // Not a failure of this message: the whole channel waits for the link (a QR scan can take
      // a while), so the outbox holds it without counting attempts instead of parking it dead.
      if (!client)
        throw new ChannelSendError("rate_limited", "WhatsApp Web is not linked yet", {
          retryAfterMs: NOT_LINKED_RETRY_MS,
        });
      const { chatId, parts } = renderWhatsAppWebMessage(message, whatsappWebCapabilities);
      let last = "";
      try {
        // A retry after a later part failed resumes after the parts that went.
        last = await sender.send(
          message.outboxId,
          parts,
          async (part) => (await client.sendMessage(chatId, part)).id._serialized,
        );
      } catch (error) {
        // whatsapp-web.js reports page errors ("Evaluation failed …") without a code to go by.
        const reason = error instanceof Error ? error.message : String(error);
        throw new ChannelSendError(
          "transient",
          `WhatsApp Web send failed: ${reason.slice(0, 200)}`,
        );
      }
      // The last part's acks stand for the message: when it is read, the ones before it are too.
      return { providerMessageId: last };
    },
  };
}
