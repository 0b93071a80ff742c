// The channels a Worker runs: all but whatsapp-web.js, which needs Chromium and reaches a Worker
// through its gateway instead (see README, "Deploy to Cloudflare"). Twilio's SDK runs on workerd
// through nodejs_compat's node:http.
import type { ChannelRegistry } from "../src/contracts";
import { simulatorFactory } from "./simulator";
import { telegramFactory } from "./telegram";
import { twilioFactory } from "./twilio";
import { whatsAppCloudFactory } from "./whatsapp-cloud";
import { whatsAppGatewayFactory } from "./whatsapp-gateway";

export const workerChannelRegistry = {
  simulator: simulatorFactory,
  telegram: telegramFactory,
  twilio: twilioFactory,
  "whatsapp-cloud": whatsAppCloudFactory,
  "whatsapp-gateway": whatsAppGatewayFactory,
} satisfies ChannelRegistry;
