// The one typed Hono environment shared by every route.
import type { SecureHeadersVariables } from "hono/secure-headers";
import type { Logger } from "../logger";

export interface StaffPrincipal {
  staffId: number;
  schoolId: number;
  roles: string[];
}

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    staff: StaffPrincipal;
  } & SecureHeadersVariables;
}
