// Turns WhatsApp Web through the gateway on when WHATSAPP_GATEWAY_URL and WHATSAPP_GATEWAY_SECRET
// are set, and mounts the gateway's relay webhook at /webhooks/whatsapp-web (on Workers,
// /t/{tenant}/webhooks/whatsapp-web). Runs on Node and on Workers alike.
import type { ChannelFactory } from "../../src/contracts";
import { createWhatsAppGatewayChannel } from "./adapter";
import { createGatewayClient } from "./client";
import { gatewayWebhookRoutes } from "./webhook";

export const WHATSAPP_GATEWAY_WEBHOOK_PATH = "/webhooks/whatsapp-web";

export const whatsAppGatewayFactory: ChannelFactory = ({ config, log, now }) => {
  const { url, secret, timeoutMs } = config.channels.whatsappGateway;
  if (!url || !secret) {
    const missing = Object.entries({ WHATSAPP_GATEWAY_URL: url, WHATSAPP_GATEWAY_SECRET: secret })
      .filter(([, value]) => !value)
      .map(([name]) => name);
    return { off: `missing ${missing.join(", ")}` };
  }
  // One "whatsapp-web" channel per runtime: the session is either in this process or the gateway's.
  if (config.channels.whatsappWeb.enabled)
    return { off: "WHATSAPP_WEB_ENABLED=1 runs WhatsApp Web in this process instead" };
  const client = createGatewayClient({ url, secret, timeoutMs, now });
  return {
    channels: [createWhatsAppGatewayChannel({ client, pacing: config.channels.whatsappWeb })],
    routes: (road) => ({
      path: WHATSAPP_GATEWAY_WEBHOOK_PATH,
      app: gatewayWebhookRoutes({ road, log, secret, now }),
    }),
  };
};
