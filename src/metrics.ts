// Prometheus metrics for GET /metrics: one registry per app (tests build many apps in a process).

import { sql } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Database } from "../db";
import type { AppEnv } from "./http/app-env";

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<"method" | "route" | "status">;
  httpDuration: Histogram<"method" | "route">;
  inboundMessages: Counter<"channel" | "outcome">;
  outboxSends: Counter<"channel" | "result">;
}

export function createMetrics(db: Database, options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const outboxByStatus = new Gauge({
    name: "parentline_outbox_messages",
    help: "Outbox rows by status, read when scraped",
    labelNames: ["status"],
    registers: [registry],
    collect() {
      this.reset();
      const rows = db.all<{ status: string; n: number }>(
        sql`select status, count(*) as n from outbox group by status`,
      );
      for (const row of rows) this.set({ status: row.status }, row.n);
    },
  });
  void outboxByStatus;
  return {
    registry,
    httpRequests: new Counter({
      name: "parentline_http_requests_total",
      help: "HTTP requests by method, route pattern and status",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "parentline_http_request_duration_seconds",
      help: "HTTP request duration by method and route pattern",
      labelNames: ["method", "route"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    inboundMessages: new Counter({
      name: "parentline_inbound_messages_total",
      help: "Inbound messages by channel and outcome (handled, duplicate)",
      labelNames: ["channel", "outcome"],
      registers: [registry],
    }),
    outboxSends: new Counter({
      name: "parentline_outbox_sends_total",
      help: "Outbox sends by channel and result (sent, retry, dead, fallback); a row held back by a pace or a run's budget is none",
      labelNames: ["channel", "result"],
      registers: [registry],
    }),
  };
}

/** Middleware: counts and times every request by its route pattern (never the raw path: ids). */
export function httpMetrics(metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    // The last matched route is the handler's pattern; only catch-all middleware means no route.
    const last = routePath(c, -1);
    const route = !last || last === "*" || last === "/*" ? "unmatched" : last;
    metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.httpDuration.observe(
      { method: c.req.method, route },
      (performance.now() - started) / 1000,
    );
  };
}
