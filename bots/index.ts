// The channel registry: adding a channel is one folder in bots/ and one line here.
import type { ChannelRegistry } from "../src/contracts";
import { simulatorFactory } from "./simulator";
import { telegramFactory } from "./telegram";
import { twilioFactory } from "./twilio";
import { whatsAppCloudFactory } from "./whatsapp-cloud";
import { whatsAppGatewayFactory } from "./whatsapp-gateway";
import { whatsappWebFactory } from "./whatsapp-web";

export const channelRegistry = {
  simulator: simulatorFactory,
  twilio: twilioFactory,
  telegram: telegramFactory,
  "whatsapp-cloud": whatsAppCloudFactory,
  "whatsapp-web": whatsappWebFactory,
  "whatsapp-gateway": whatsAppGatewayFactory,
} satisfies ChannelRegistry;
