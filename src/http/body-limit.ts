// Middleware: refuses bodies over a size before they are read in full.
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit as streamingBodyLimit } from "hono/body-limit";
import type { AppEnv } from "./app-env";

export interface BodyLimitOptions {
  maxBytes: number;
  onTooLarge: (c: Context<AppEnv>) => Response | Promise<Response>;
}

/**
 * A declared Content-Length is checked from the header alone; only a body without one (chunked)
 * goes through hono's counting middleware. Hono's middleware looks at `c.req.raw.body` first, and
 * on Node that one look makes @hono/node-server build a full web Request (stream, abort signal)
 * for every request, GETs included: ~15 % of what a webhook step allocated
 * (bench:inbound heap profile). The HTTP parser never lets a body run past its Content-Length.
 */
export function bodyLimit({ maxBytes, onTooLarge }: BodyLimitOptions): MiddlewareHandler<AppEnv> {
  const counting = streamingBodyLimit({ maxSize: maxBytes, onError: onTooLarge });
  return async (c, next) => {
    const declared = c.req.header("content-length");
    if (declared !== undefined && c.req.header("transfer-encoding") === undefined) {
      return Number.parseInt(declared, 10) > maxBytes ? onTooLarge(c) : next();
    }
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    return counting(c, next);
  };
}
