// GET /staff/whatsapp-web: the WhatsApp Web link for a signed-in admin, in this process or
// through the gateway; its script polls the channel's own JSON (GET /staff/whatsapp-web/link,
// which bots/whatsapp-web or bots/whatsapp-gateway mounts) with the desk's cookie session.
import { Hono } from "hono";
import type { DeskDeps } from "../deps";
import { type DeskEnv, requireDeskAdmin } from "../session";
import { WhatsAppWebPage } from "../views/admin";
import { renderPage } from "../views/render";

export function whatsAppWebRoutes(deps: DeskDeps) {
  return new Hono<DeskEnv>().get("/", requireDeskAdmin, (c) => {
    const states = deps.channelStates();
    const gateway = states["whatsapp-gateway"];
    return renderPage(
      c,
      <WhatsAppWebPage
        session={c.get("desk")}
        state={states["whatsapp-web"]}
        throughGateway={gateway !== undefined && !gateway.startsWith("off")}
      />,
    );
  });
}
