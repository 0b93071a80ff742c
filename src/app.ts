// createApp(deps): the one Hono app, the same on Node and Workers. Entry files only wire it up.
import { type Context, Hono } from "hono";
import { requestId } from "hono/request-id";
import type { InboundRoadHandle } from "./contracts";
import type { ChannelSetup } from "./contracts/channel";
import type { InboundRoad } from "./conversations/inbound-road";
import { staffDesk } from "./desk";
import type { AppEnv } from "./http/app-env";
import { bodyLimit } from "./http/body-limit";
import { errorResponse, handleError, handleNotFound } from "./http/errors";
import { SignInLimits, signInRateLimit } from "./http/rate-limit";
import { requestLog } from "./http/request-log";
import { htmlSecurityHeaders } from "./http/security-headers";
import type { StaticFiles } from "./http/static-files";
import { httpMetrics } from "./metrics";
import { healthRoutes } from "./routes/health";
import { metricsRoutes } from "./routes/metrics";
import { v1Api } from "./routes/v1";
import { loadDemoDirectory } from "./services/demo-directory";
import type { ServiceDeps } from "./services/deps";
import type { StaffEventHub } from "./services/staff-event-hub";

/** Bodies over this are refused with 413 before they are read in full. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface AppDeps extends ServiceDeps {
  road: InboundRoadHandle;
  /** Lets staff actions reach a parent's conversation (a resolved ticket asks for a rating). */
  conversations: Pick<InboundRoad, "signal">;
  /** Fans staff events out to GET /v1/events streams. */
  staffEvents: StaffEventHub;
  channelSetups: ReadonlyMap<string, ChannelSetup>;
  /** Every known channel: "on", or why it is off. */
  channelStates: () => Record<string, string>;
  version: string;
  /** The desk's assets and the docs script, as the runtime ships them. */
  staticFiles: StaticFiles;
  /** The caller's IP, for per-IP rate limits (the Node entry reads the socket). */
  clientIp?: (c: Context<AppEnv>) => string | undefined;
  /** Generates request ids (injectable for tests). */
  newRequestId?: () => string;
}

export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use(requestId(deps.newRequestId ? { generator: deps.newRequestId } : {}));
  app.use(requestLog({ logger: deps.log }));
  app.use(htmlSecurityHeaders());
  if (deps.metrics) app.use(httpMetrics(deps.metrics));
  app.use(
    bodyLimit({
      maxBytes: MAX_BODY_BYTES,
      onTooLarge: (c) =>
        errorResponse(c, 413, "payload_too_large", "The request body is larger than 1 MB"),
    }),
  );
  app.onError(handleError);
  app.notFound(handleNotFound);

  app.get("/", (c) =>
    c.json({
      service: "parentline",
      version: deps.version,
      docs: "/v1/docs",
      ...(deps.config.simulatorEnabled ? { simulator: "/dev/chat" } : {}),
    }),
  );
  if (deps.metrics) {
    const production = deps.config.env === "production";
    const token = deps.config.metricsToken;
    app.route("/metrics", metricsRoutes({ metrics: deps.metrics, token, production }));
  }
  app.route(
    "/health",
    healthRoutes({ db: deps.db, channels: deps.channelStates, version: deps.version }),
  );
  const socketIp = deps.clientIp ?? (() => undefined);
  const clientIp = (c: Context) =>
    (deps.config.trustProxy ? c.req.header("x-forwarded-for")?.split(",")[0]?.trim() : undefined) ??
    socketIp(c as Context<AppEnv>) ??
    "unknown";
  const signInLimits = new SignInLimits({
    now: deps.now,
    defaultCountry: deps.config.defaultCountry,
  });
  app.use(
    "/v1/auth/otp/*",
    signInRateLimit({
      now: deps.now,
      defaultCountry: deps.config.defaultCountry,
      clientIp,
      limits: signInLimits,
    }),
  );
  app.route(
    "/",
    v1Api(deps, deps.conversations, deps.version, deps.staffEvents, deps.staticFiles.docsScript),
  );
  app.route("/staff", staffDesk({ ...deps, clientIp, signInLimits }));
  for (const setup of deps.channelSetups.values()) {
    const mounted = setup.routes?.(deps.road);
    if (mounted) app.route(mounted.path, mounted.app);
  }
  if (deps.config.simulatorEnabled) {
    app.get("/dev/demo", async (c) => c.json(await loadDemoDirectory(deps.db)));
  }
  return app;
}

export type ParentlineApp = ReturnType<typeof createApp>;
