// The staff API under /v1, its OpenAPI 3.1 document and the interactive docs page.
import { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import type { InboundRoad } from "../../conversations/inbound-road";
import type { AppEnv } from "../../http/app-env";
import { requireStaff } from "../../http/staff-auth";
import { validationHook } from "../../http/validation";
import type { ServiceDeps } from "../../services/deps";
import type { StaffEventHub } from "../../services/staff-event-hub";
import { auditRoutes } from "./audit";
import { authRoutes } from "./auth";
import { cannedReplyRoutes } from "./canned-replies";
import { directoryRoutes } from "./directory";
import { directoryAdminRoutes } from "./directory-admin";
import { eventRoutes } from "./events";
import { guardianRoutes } from "./guardians";
import { guardrailRoutes } from "./guardrails";
import { importRoutes } from "./import";
import { outboxRoutes } from "./outbox";
import { schoolRoutes } from "./school";
import { ticketRoutes } from "./tickets";

export function v1Api(
  deps: ServiceDeps,
  conversations: Pick<InboundRoad, "signal">,
  version: string,
  staffEvents: StaffEventHub,
) {
  const api = new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).basePath("/v1");
  api.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "The accessToken from POST /v1/auth/otp/verify",
  });
  api.route("/auth", authRoutes(deps));
  api.use("/tickets/*", requireStaff(deps));
  api.use("/tickets", requireStaff(deps));
  api.route("/tickets", ticketRoutes(deps, conversations));
  api.use("/guardians", requireStaff(deps));
  api.use("/guardians/*", requireStaff(deps));
  api.route("/guardians", guardianRoutes(deps));
  api.use("/canned-replies", requireStaff(deps));
  api.use("/canned-replies/*", requireStaff(deps));
  api.route("/canned-replies", cannedReplyRoutes(deps));
  api.use("/school/*", requireStaff(deps));
  api.route("/school", schoolRoutes(deps));
  for (const path of ["/classes", "/students", "/staff"]) {
    api.use(path, requireStaff(deps));
    api.use(`${path}/*`, requireStaff(deps));
  }
  api.route("/", directoryRoutes(deps));
  api.route("/", directoryAdminRoutes(deps));
  api.use("/import/*", requireStaff(deps));
  api.route("/import", importRoutes(deps));
  api.use("/events", requireStaff(deps));
  api.route("/events", eventRoutes(deps, staffEvents));
  api.use("/audit", requireStaff(deps));
  api.route("/audit", auditRoutes(deps));
  api.use("/outbox", requireStaff(deps));
  api.use("/outbox/*", requireStaff(deps));
  api.route("/outbox", outboxRoutes(deps));
  api.use("/guardrails/*", requireStaff(deps));
  api.route("/", guardrailRoutes(deps));
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
  api.get("/docs", Scalar({ url: "/v1/openapi.json", pageTitle: "Parentline staff API" }));
  return api;
}
