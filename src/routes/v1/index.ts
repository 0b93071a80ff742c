// The staff API under /v1, its OpenAPI 3.1 document and the interactive docs page.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { InboundRoad } from "../../conversations/inbound-road";
import type { AppEnv } from "../../http/app-env";
import { tenantPathPrefix } from "../../http/public-path";
import { requireStaff } from "../../http/staff-auth";
import type { StaticFiles } from "../../http/static-files";
import { validationHook } from "../../http/validation";
import type { ServiceDeps } from "../../services/deps";
import type { StaffEventHub } from "../../services/staff-event-hub";
import { announcementRoutes } from "./announcements";
import { apiKeyRoutes } from "./api-keys";
import { auditRoutes } from "./audit";
import { authRoutes } from "./auth";
import { cannedReplyRoutes } from "./canned-replies";
import { directoryRoutes } from "./directory";
import { directoryAdminRoutes } from "./directory-admin";
import { docsRoutes } from "./docs";
import { eventRoutes } from "./events";
import { exportRoutes } from "./exports";
import { guardianPreferenceRoutes } from "./guardian-preferences";
import { guardianRoutes } from "./guardians";
import { guardrailRoutes } from "./guardrails";
import { importRoutes } from "./import";
import { integrationRoutes } from "./integrations";
import { jobRoutes } from "./jobs";
import { outboxRoutes } from "./outbox";
import { reportRoutes } from "./reports";
import { schoolRoutes } from "./school";
import { staffAlertRoutes } from "./staff-alerts";
import { ticketRoutes } from "./tickets";

export function v1Api(
  deps: ServiceDeps,
  conversations: Pick<InboundRoad, "signal">,
  version: string,
  staffEvents: StaffEventHub,
  docsScript: StaticFiles["docsScript"],
) {
  const api = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).basePath("/v1");
  api.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "The accessToken from POST /v1/auth/otp/verify",
  });
  api.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "A school's API key from POST /v1/api-keys (events only)",
  });
  api.route("/auth", authRoutes(deps));
  // Every other /v1 path needs a signed-in staff member (the route matrix test holds this).
  const staffOnly = requireStaff(deps);
  const guard = (...paths: string[]) => {
    for (const path of paths) {
      api.use(path, staffOnly);
      api.use(`${path}/*`, staffOnly);
    }
  };
  guard("/tickets", "/guardians", "/canned-replies", "/school", "/classes", "/students", "/staff");
  guard("/import", "/events", "/audit", "/outbox", "/guardrails", "/announcements", "/api-keys");
  guard("/reports", "/exports", "/jobs");
  // School systems send events with an API key, not a staff token; the CSV upload is an admin's.
  api.route("/integrations", integrationRoutes(deps, staffOnly) as never);
  api.route("/tickets", ticketRoutes(deps, conversations));
  api.route("/guardians", guardianRoutes(deps));
  api.route("/guardians", guardianPreferenceRoutes(deps));
  api.route("/canned-replies", cannedReplyRoutes(deps));
  api.route("/school", schoolRoutes(deps));
  api.route("/staff/me/alerts", staffAlertRoutes(deps));
  api.route("/", directoryRoutes(deps));
  api.route("/", directoryAdminRoutes(deps));
  api.route("/import", importRoutes(deps));
  api.route("/events", eventRoutes(deps, staffEvents));
  api.route("/audit", auditRoutes(deps));
  api.route("/outbox", outboxRoutes(deps));
  api.route("/", guardrailRoutes(deps));
  api.route("/announcements", announcementRoutes(deps));
  api.route("/reports", reportRoutes(deps));
  api.route("/exports", exportRoutes(deps));
  api.route("/jobs", jobRoutes(deps));
  api.route("/api-keys", apiKeyRoutes(deps));
  api.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Parentline staff API",
      version,
      description:
        "Teachers and office staff answer parents here. Sign in with a one-time code (POST /v1/auth/otp/request, then /v1/auth/otp/verify) and send the access token as 'Authorization: Bearer …'. Errors always come as { error: { code, message, details? } }.",
    },
    servers: [{ url: "/" }],
  });
  if (docsScript) api.route("/docs", docsRoutes(tenantPathPrefix(deps.config), docsScript));
  return api;
}
