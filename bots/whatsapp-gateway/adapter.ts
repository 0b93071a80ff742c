// WhatsApp Web through the gateway: the same channel ("whatsapp-web": its conversations, receipts
// and guardians' channel order) with the same capabilities and pacing as in-process, sent by the
// gateway process that holds the whatsapp-web.js session. Plain fetch, so it runs on Workers.
import type { Channel } from "../../src/contracts";
import {
  type WhatsAppWebPacing,
  whatsappWebCapabilities,
  whatsappWebLimits,
} from "../whatsapp-web/adapter";
import { renderWhatsAppWebMessage } from "../whatsapp-web/render";
import type { GatewayClient } from "./client";

export interface WhatsAppGatewayChannelOptions {
  client: GatewayClient;
  pacing: WhatsAppWebPacing;
}

export function createWhatsAppGatewayChannel({
  client,
  pacing,
}: WhatsAppGatewayChannelOptions): Channel {
  return {
    name: "whatsapp-web",
    capabilities: whatsappWebCapabilities,
    limits: whatsappWebLimits(pacing),
    // The gateway renders the same parts; each is a WhatsApp message the pacer counts.
    sendCost: (message) => renderWhatsAppWebMessage(message, whatsappWebCapabilities).parts.length,
    async send(message) {
      const providerMessageId = await client.send({
        outboxId: message.outboxId,
        address: message.address,
        text: message.text,
        ...(message.options
          ? { options: message.options.map(({ id, label }) => ({ id, label })) }
          : {}),
        ...(message.media ? { media: message.media } : {}),
      });
      return { providerMessageId };
    },
  };
}
