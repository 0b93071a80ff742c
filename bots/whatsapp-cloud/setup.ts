// Turns the WhatsApp Cloud API channel on when its four credentials are set, and mounts its
// webhook at /webhooks/whatsapp.
import type { ChannelFactory } from "../../src/contracts";
import { createWhatsAppCloudChannel } from "./adapter";
import { createGraphClient } from "./client";
import { parseTemplateSetting } from "./render";
import { whatsAppCloudRoutes } from "./webhook";

export const WHATSAPP_WEBHOOK_PATH = "/webhooks/whatsapp";

export const whatsAppCloudFactory: ChannelFactory = ({ config, log, now }) => {
  const settings = config.channels.whatsappCloud;
  const { token, phoneNumberId, appSecret, verifyToken } = settings;
  if (!token || !phoneNumberId || !appSecret || !verifyToken) {
    const missing = Object.entries({
      WHATSAPP_CLOUD_TOKEN: token,
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: phoneNumberId,
      WHATSAPP_CLOUD_APP_SECRET: appSecret,
      WHATSAPP_CLOUD_VERIFY_TOKEN: verifyToken,
    })
      .filter(([, value]) => !value)
      .map(([name]) => name);
    return { off: `missing ${missing.join(", ")}` };
  }
  const template = settings.template ? parseTemplateSetting(settings.template) : undefined;
  if (template === null) {
    return { off: "WHATSAPP_CLOUD_TEMPLATE must be a template name, or name:language (en_US)" };
  }
  const client = createGraphClient({
    apiBase: settings.apiBase,
    phoneNumberId,
    token,
    timeoutMs: settings.timeoutMs,
  });
  return {
    channels: [
      createWhatsAppCloudChannel({
        client,
        perSecond: settings.perSecond,
        ...(template ? { template } : {}),
        now,
      }),
    ],
    routes: (road) => ({
      path: WHATSAPP_WEBHOOK_PATH,
      app: whatsAppCloudRoutes({
        road,
        log,
        appSecret,
        verifyToken,
        phoneNumberId,
        defaultCountry: config.defaultCountry,
        now,
      }),
    }),
  };
};
