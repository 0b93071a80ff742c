// The development chat simulator channel.
export { createSimulatorChannel } from "./adapter";
export { type PhoneEntry, SimulatedPhones } from "./client";
export { parseSimulatorSend } from "./parse";
export { simulatorFactory } from "./setup";
export { simulatorRoutes } from "./webhook";
