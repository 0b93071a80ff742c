// Security headers for every HTML page the app serves (the docs, the simulator, the staff pages):
// a Content-Security-Policy that lets scripts run only from this origin or with the response's
// nonce, no framing, no MIME sniffing, no referrer. JSON and other responses are left as they are.
import type { Context, MiddlewareHandler } from "hono";
import { NONCE, secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./app-env";

/**
 * The nonce an inline `<script nonce="…">` of this response must carry, made on first use; the
 * middleware below puts the same one in the policy.
 */
export function cspNonce(c: Context<AppEnv>): string {
  NONCE(c, "script-src");
  return c.get("secureHeadersNonce") ?? "";
}

const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", NONCE],
    // The docs' components inject their styles at run time, which a nonce cannot cover.
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", "data:"],
    fontSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: "DENY",
  // HSTS belongs to whoever terminates TLS in front of the app (and may span a school's domain).
  strictTransportSecurity: false,
});

const isHtml = (c: Context) => c.res.headers.get("content-type")?.startsWith("text/html") ?? false;

export function htmlSecurityHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (isHtml(c)) await pageHeaders(c, async () => {});
  };
}
