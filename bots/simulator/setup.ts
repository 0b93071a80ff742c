// Turns the simulator on (development, or SIMULATOR=1) and mounts its pages under /dev/chat.
import type { ChannelFactory } from "../../src/contracts";
import { createSimulatorChannel } from "./adapter";
import { SimulatedPhones } from "./client";
import { simulatorRoutes } from "./webhook";

export const simulatorFactory: ChannelFactory = ({ config, now }) => {
  if (!config.simulatorEnabled)
    return { off: "disabled in production (set SIMULATOR=1 to enable)" };
  const phones = new SimulatedPhones();
  return {
    channels: [createSimulatorChannel({ phones, now })],
    routes: (road) => ({
      path: "/dev/chat",
      app: simulatorRoutes({ phones, road, defaultCountry: config.defaultCountry, now }),
    }),
  };
};
