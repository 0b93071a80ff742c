// Turns WhatsApp Web through the gateway on when WHATSAPP_GATEWAY_URL and WHATSAPP_GATEWAY_SECRET
// are set, and mounts the gateway's relay webhook at /webhooks/whatsapp-web and the staff page's
// link JSON at /staff/whatsapp-web/link (on Workers, under /t/{tenant}). Runs on Node and on
// Workers alike.
import { Hono } from "hono";
import type { AppEnv, ChannelFactory } from "../../src/contracts";
import { WHATSAPP_WEB_STAFF_PATH } from "../whatsapp-web/staff-link";
import { createWhatsAppGatewayChannel } from "./adapter";
import { createGatewayClient } from "./client";
import { gatewayStaffLinkRoutes } from "./staff-link-routes";
import { gatewayWebhookRoutes } from "./webhook";

export const WHATSAPP_GATEWAY_WEBHOOK_PATH = "/webhooks/whatsapp-web";

export const whatsAppGatewayFactory: ChannelFactory = ({ config, log, now, requireStaff }) => {
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
    // Two paths of the app's, so mounted at its root.
    routes: (road) => ({
      path: "/",
      app: new Hono<AppEnv>()
        .route(WHATSAPP_GATEWAY_WEBHOOK_PATH, gatewayWebhookRoutes({ road, log, secret, now }))
        .route(WHATSAPP_WEB_STAFF_PATH, gatewayStaffLinkRoutes({ client, requireStaff })),
    }),
  };
};
