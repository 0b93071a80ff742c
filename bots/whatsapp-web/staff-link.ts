// Where staff link WhatsApp Web, in this process or through the gateway, and who may: linking
// decides which WhatsApp account speaks for the school, so admins only. Runs on Workers too.
import type { MiddlewareHandler } from "hono";
import { ApiError, type AppEnv } from "../../src/contracts";

/** The desk's page is here; its JSON is `${WHATSAPP_WEB_STAFF_PATH}/link`. */
export const WHATSAPP_WEB_STAFF_PATH = "/staff/whatsapp-web";

/** Runs after requireStaff, which sets c.get("staff"). */
export const requireLinkAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get("staff").roles.includes("admin"))
    throw new ApiError(403, "forbidden", "Only an admin can link WhatsApp Web");
  await next();
};
