// Middleware: requires a valid staff access token of a live session, and puts the member's current
// record on the context, so every request acts as the member is now, not as they were at sign-in.
import type { MiddlewareHandler } from "hono";
import type { ServiceDeps } from "../services/deps";
import { readAccessToken } from "../services/staff-auth";
import { currentStaffPrincipal } from "../services/staff-session";
import type { AppEnv } from "./app-env";
import { ApiError } from "./errors";

export function requireStaff(
  deps: Pick<ServiceDeps, "db" | "secrets" | "now">,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const [scheme, token] = header.split(" ");
    if (scheme?.toLowerCase() !== "bearer" || !token) {
      throw new ApiError(
        401,
        "unauthorized",
        "Sign in first: send 'Authorization: Bearer <access token>'",
      );
    }
    const session = await readAccessToken(deps, token);
    if (!session)
      throw new ApiError(401, "unauthorized", "The access token is invalid or has expired");
    const principal = await currentStaffPrincipal(deps, session);
    if (!principal)
      throw new ApiError(
        401,
        "unauthorized",
        "This session has ended (signed out, or the account is no longer active); sign in again",
      );
    c.set("staff", principal);
    c.set("staffSession", session);
    await next();
  };
}
