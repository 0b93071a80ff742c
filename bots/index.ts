// The channel registry: adding a channel is one folder in bots/ and one line here.
import type { ChannelRegistry } from "../src/contracts";
import { simulatorFactory } from "./simulator";
import { twilioFactory } from "./twilio";

export const channelRegistry = {
  simulator: simulatorFactory,
  twilio: twilioFactory,
} satisfies ChannelRegistry;
