// The stateless Worker's routes: the desk's assets, served here as no tenant is needed for them;
// every other request goes to its tenant's object (tenant-routing.ts). With no tenant named, a
// browser page gets the school-address page and anything else a JSON 404.
import { Hono } from "hono";
import { assetRoutes } from "../desk/assets";
import type { AppEnv } from "../http/app-env";
import { htmlSecurityHeaders } from "../http/security-headers";
import type { StaticFiles } from "../http/static-files";
import { isBrowserPage, schoolAddressResponse } from "./school-address";
import { findTenant, forwardToTenant, type TenantNamespace } from "./tenant-routing";

const INVALID_NAME = "No such tenant: names are lowercase letters, digits and hyphens";
const UNNAMED = "Name the tenant in the path (/t/{tenant}/…) or sign in to it first";

/** A path segment as typed, or as it came when it is not valid percent-encoding. */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Requests no tenant is named in; its pages get the security headers a tenant's pages get. */
function withoutTenant() {
  return new Hono<AppEnv>().use(htmlSecurityHeaders()).all("*", (c) => {
    const lookup = findTenant(c.req.raw);
    if (lookup.found) throw new Error("a request naming a tenant is forwarded, not answered here");
    const invalid = lookup.reason === "invalid_name";
    if (isBrowserPage(lookup.pathname)) {
      const name = /^\/t\/([^/]*)/.exec(new URL(c.req.url).pathname)?.[1] ?? "";
      return schoolAddressResponse(c, lookup.pathname, invalid ? decodedSegment(name) : undefined);
    }
    const message = invalid ? INVALID_NAME : UNNAMED;
    return c.json({ error: { code: "tenant_not_found", message } }, 404);
  });
}

export function workerApp(tenants: TenantNamespace, desk: StaticFiles["desk"]) {
  const unrouted = withoutTenant();
  return new Hono().route("/staff/assets", assetRoutes(desk)).all("*", (c) => {
    const lookup = findTenant(c.req.raw);
    return lookup.found ? forwardToTenant(tenants, c.req.raw, lookup) : unrouted.fetch(c.req.raw);
  });
}
