// GET /staff/whatsapp-web/link when WhatsApp Web runs through the gateway: the JSON the desk's
// page polls for an in-process link ({ state, qr? }), read from the gateway's signed /link, so an
// admin links the school's phone from the desk on Node and on Workers alike. A gateway that does
// not answer in time is a 504, one that cannot be reached or refuses a 502; each says why.
import { Hono, type MiddlewareHandler } from "hono";
import { ApiError, type AppEnv } from "../../src/contracts";
import { requireLinkAdmin } from "../whatsapp-web/staff-link";
import type { GatewayClient } from "./client";

export interface GatewayStaffLinkOptions {
  client: Pick<GatewayClient, "link">;
  requireStaff: MiddlewareHandler<AppEnv>;
}

export function gatewayStaffLinkRoutes({ client, requireStaff }: GatewayStaffLinkOptions) {
  return new Hono<AppEnv>().get("/link", requireStaff, requireLinkAdmin, async (c) => {
    const link = await client.link();
    if (!link.ok)
      throw link.failure === "timeout"
        ? new ApiError(504, "gateway_timeout", link.message)
        : new ApiError(502, "gateway_unavailable", link.message);
    c.header("cache-control", "no-store");
    return c.json(link.answer);
  });
}
