// The staff side of WhatsApp Web (it has no webhook): admins see the link's state and, until the
// session is ready, the QR code to scan with the school's phone (WhatsApp → Linked devices). The
// page that shows it is the staff desk's (GET /staff/whatsapp-web); this is its JSON.
import { Hono, type MiddlewareHandler } from "hono";
import QRCode from "qrcode";
import { ApiError, type AppEnv } from "../../src/contracts";
import type { WhatsAppWebLink } from "./link";

export interface LinkRoutesOptions {
  link: Pick<WhatsAppWebLink, "describe" | "qr">;
  requireStaff: MiddlewareHandler<AppEnv>;
}

/** Linking decides which WhatsApp account speaks for the school: admins only. */
const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get("staff").roles.includes("admin"))
    throw new ApiError(403, "forbidden", "Only an admin can link WhatsApp Web");
  await next();
};

export function linkRoutes({ link, requireStaff }: LinkRoutesOptions) {
  return new Hono<AppEnv>().get("/link", requireStaff, requireAdmin, async (c) => {
    const qr = link.qr();
    c.header("cache-control", "no-store");
    return c.json({
      state: link.describe(),
      ...(qr ? { qr: await QRCode.toDataURL(qr, { margin: 2, width: 264 }) } : {}),
    });
  });
}
