// The one typed Hono environment shared by every route.
import type { SecureHeadersVariables } from "hono/secure-headers";
import type { StaffRole } from "../../db/schema";
import type { OfficeFunction } from "../domain";
import type { Logger } from "../logger";

/** A staff member as they are now (read per request): who, where, and in which role. */
export interface StaffPrincipal {
  staffId: number;
  schoolId: number;
  role: StaffRole;
  officeFunction: OfficeFunction | null;
  roles: string[];
}

/** The signed-in session a request came with: whose, which refresh family, and until when. */
export interface StaffSession {
  staffId: number;
  sessionId: string;
  /** When the access token expires (ms since the epoch). */
  expiresAt: number;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    staff: StaffPrincipal;
    staffSession: StaffSession;
    /** The sign-in caller's address as rate limits count it (set on /v1/auth/otp/*). */
    clientAddress: string;
  } & SecureHeadersVariables;
}
