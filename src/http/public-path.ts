// Where the app's own paths are reached from outside: as they are on Node's one tenant; on Workers
// under /t/{tenant}, the prefix the Worker strips before the tenant's object sees the request.
import type { Config } from "../config";

export const tenantPathPrefix = (config: Pick<Config, "tenant">) =>
  config.tenant ? `/t/${config.tenant}` : "";
