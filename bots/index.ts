// The channel registry: adding a channel is one folder in bots/ and one line here.
import type { ChannelRegistry } from "../src/contracts";
import { simulatorFactory } from "./simulator";
import { telegramFactory } from "./telegram";

export const channelRegistry = {
  simulator: simulatorFactory,
  telegram: telegramFactory,
} satisfies ChannelRegistry;
