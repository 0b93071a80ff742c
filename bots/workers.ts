// The channels a Worker runs: those that speak to their provider over fetch. Twilio's SDK and
// whatsapp-web.js need Node (see README, "Deploy to Cloudflare").
import type { ChannelRegistry } from "../src/contracts";
import { simulatorFactory } from "./simulator";
import { telegramFactory } from "./telegram";
import { whatsAppCloudFactory } from "./whatsapp-cloud";

export const workerChannelRegistry = {
  simulator: simulatorFactory,
  telegram: telegramFactory,
  "whatsapp-cloud": whatsAppCloudFactory,
} satisfies ChannelRegistry;
