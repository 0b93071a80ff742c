// The staff desk under /staff: server-rendered pages over the same services as /v1, with a cookie
// session, CSRF checks on every form, and small scripts that only enhance.
import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { assetRoutes } from "./assets";
import type { DeskDeps } from "./deps";
import { adminRoutes } from "./routes/admin";
import { announcementRoutes } from "./routes/announcements";
import { eventRoutes } from "./routes/events";
import { myAlertRoutes } from "./routes/my-alerts";
import { reportRoutes } from "./routes/reports";
import { signInRoutes } from "./routes/sign-in";
import { ticketRoutes } from "./routes/tickets";
import { whatsAppWebRoutes } from "./routes/whatsapp-web";
import { type DeskEnv, requireDeskSession } from "./session";

export type { DeskDeps } from "./deps";
export { staffFromBearerOrDesk } from "./session";

export function staffDesk(deps: DeskDeps) {
  const desk = new Hono<DeskEnv>();
  // A form posted from another site is refused by its Origin; the session's _csrf field is the
  // second check (requireDeskSession).
  desk.use(csrf());
  desk.route("/assets", assetRoutes(deps.staticFiles.desk));
  desk.route("/", signInRoutes(deps));
  const session = requireDeskSession(deps);
  // "/tickets/*" covers "/tickets" itself too.
  for (const path of ["/tickets", "/events", "/announcements", "/reports", "/admin", "/me"]) {
    desk.use(`${path}/*`, session);
  }
  // The page only: its JSON below it (/whatsapp-web/link) takes a bearer token too.
  desk.use("/whatsapp-web", session);
  desk.route("/tickets", ticketRoutes(deps));
  desk.route("/events", eventRoutes(deps));
  desk.route("/announcements", announcementRoutes(deps));
  desk.route("/reports", reportRoutes(deps));
  desk.route("/admin", adminRoutes(deps));
  desk.route("/me", myAlertRoutes(deps));
  // Its JSON (/whatsapp-web/link) is the channel's, mounted when the channel is on.
  desk.route("/whatsapp-web", whatsAppWebRoutes(deps));
  return desk;
}
