// The channel registry: adding a channel is one folder in bots/ and one line here.
import type { ChannelRegistry } from "../src/contracts";
import { simulatorFactory } from "./simulator";
import { whatsAppCloudFactory } from "./whatsapp-cloud";

export const channelRegistry = {
  simulator: simulatorFactory,
  "whatsapp-cloud": whatsAppCloudFactory,
} satisfies ChannelRegistry;
