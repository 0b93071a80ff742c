// Middleware: requires a valid staff access token and puts its principal on the context.
import type { MiddlewareHandler } from "hono";
import type { ServiceDeps } from "../services/deps";
import { readAccessToken } from "../services/staff-auth";
import type { AppEnv } from "./app-env";
import { ApiError } from "./errors";

export function requireStaff(
  deps: Pick<ServiceDeps, "secrets" | "now">,
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
    const principal = await readAccessToken(deps, token);
    if (!principal)
      throw new ApiError(401, "unauthorized", "The access token is invalid or has expired");
    c.set("staff", principal);
    await next();
  };
}
