// GET /staff/whatsapp-web: the WhatsApp Web link for a signed-in admin; its script polls the
// channel's own JSON (GET /staff/whatsapp-web/link) with the desk's cookie session.
import { Hono } from "hono";
import type { DeskDeps } from "../deps";
import { type DeskEnv, requireDeskAdmin } from "../session";
import { WhatsAppWebPage } from "../views/admin";
import { renderPage } from "../views/render";

export function whatsAppWebRoutes(deps: DeskDeps) {
  return new Hono<DeskEnv>().get("/", requireDeskAdmin, (c) =>
    renderPage(
      c,
      <WhatsAppWebPage session={c.get("desk")} state={deps.channelStates()["whatsapp-web"]} />,
    ),
  );
}
