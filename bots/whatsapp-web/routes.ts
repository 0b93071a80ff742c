// The staff side of WhatsApp Web (it has no webhook): admins see the link's state and, until the
// session is ready, the QR code to scan with the school's phone (WhatsApp → Linked devices). The
// page that shows it is the staff desk's (GET /staff/whatsapp-web); this is its JSON.
import { Hono, type MiddlewareHandler } from "hono";
import type { AppEnv } from "../../src/contracts";
import type { WhatsAppWebLink } from "./link";
import { linkAnswer } from "./link-answer";
import { requireLinkAdmin } from "./staff-link";

export interface LinkRoutesOptions {
  link: Pick<WhatsAppWebLink, "describe" | "qr">;
  requireStaff: MiddlewareHandler<AppEnv>;
}

export function linkRoutes({ link, requireStaff }: LinkRoutesOptions) {
  return new Hono<AppEnv>().get("/link", requireStaff, requireLinkAdmin, async (c) => {
    c.header("cache-control", "no-store");
    return c.json(await linkAnswer(link));
  });
}
