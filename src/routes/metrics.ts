// GET /metrics (Prometheus text) behind a bearer token: open only in development when no token is
// set, and absent in production then, so a server is never scraped by whoever finds it.
import { Hono } from "hono";
import type { AppEnv } from "../http/app-env";
import { errorResponse, handleNotFound } from "../http/errors";
import type { Metrics } from "../metrics";
import { secretsMatch } from "../security";

export interface MetricsRoutesOptions {
  metrics: Metrics;
  /** METRICS_TOKEN; unset means open in development and 404 in production. */
  token: string | undefined;
  production: boolean;
}

export function metricsRoutes({ metrics, token, production }: MetricsRoutesOptions) {
  return new Hono<AppEnv>().get("/", async (c) => {
    if (!token && production) return handleNotFound(c);
    if (token) {
      const given = c.req.header("authorization")?.match(/^Bearer\s+(\S+)\s*$/i)?.[1] ?? "";
      if (!secretsMatch(given, token)) {
        c.header("www-authenticate", 'Bearer realm="metrics"');
        return errorResponse(c, 401, "unauthorized", "GET /metrics needs the METRICS_TOKEN bearer");
      }
    }
    return c.text(await metrics.registry.metrics(), 200, {
      "content-type": metrics.registry.contentType,
    });
  });
}
