// What the desk is built from: the services' dependencies plus the app's shared pieces.
import type { Context } from "hono";
import type { InboundRoad } from "../conversations/inbound-road";
import type { SignInLimits } from "../http/rate-limit";
import type { StaticFiles } from "../http/static-files";
import type { ServiceDeps } from "../services/deps";
import type { StaffEventHub } from "../services/staff-event-hub";

export interface DeskDeps extends ServiceDeps {
  conversations: Pick<InboundRoad, "signal">;
  staffEvents: StaffEventHub;
  /** The counters /v1/auth counts sign-in attempts on: one budget for both ways in. */
  signInLimits: SignInLimits;
  clientIp: (c: Context) => string;
  /** Every known channel: "on", or why it is off. */
  channelStates: () => Record<string, string>;
  staticFiles: StaticFiles;
}
