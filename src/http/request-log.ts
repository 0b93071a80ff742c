// Middleware: a child logger per request carrying the request id, and one line per response.
import type { MiddlewareHandler } from "hono";
import type { Logger } from "../logger";
import type { AppEnv } from "./app-env";

export interface RequestLogOptions {
  logger: Logger;
  now?: () => number;
}

export function requestLog({ logger, now = performance.now.bind(performance) }: RequestLogOptions) {
  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    const started = now();
    const log = logger.child({ requestId: c.get("requestId") });
    c.set("log", log);
    await next();
    log.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((now() - started) * 10) / 10,
      },
      "request",
    );
  };
  return middleware;
}
