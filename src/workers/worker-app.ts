// The stateless Worker's routes: the desk's assets, served here as no tenant is needed for them;
// every other request goes to its tenant's object (tenant-routing.ts) if the deployment serves
// that tenant (served-tenants.ts). With no tenant named, or one not served, a browser page gets the
// school-address page and anything else a JSON 404; nothing reaches an object.
import { Hono } from "hono";
import { assetRoutes } from "../desk/assets";
import type { AppEnv } from "../http/app-env";
import { htmlSecurityHeaders } from "../http/security-headers";
import type { StaticFiles } from "../http/static-files";
import { isBrowserPage, schoolAddressResponse } from "./school-address";
import type { ServedTenants } from "./served-tenants";
import {
  findServedTenant,
  forwardToTenant,
  type TenantLookup,
  type TenantNamespace,
} from "./tenant-routing";

const INVALID_NAME = "No such tenant: names are lowercase letters, digits and hyphens";
const UNNAMED = "Name the tenant in the path (/t/{tenant}/…) or sign in to it first";
const notServed = (tenant: string) => `No tenant named “${tenant}” is served here`;

/** A path segment as typed, or as it came when it is not valid percent-encoding. */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A lookup that found no served tenant: what the Worker answers itself. */
type Unrouted = Extract<TenantLookup, { found: false }>;

/** The name a browser page says is no school's address: one the path named, never a cookie's. */
function refusedName(lookup: Unrouted, requestUrl: string): string | undefined {
  if (lookup.reason === "not_served") return lookup.inPath ? lookup.tenant : undefined;
  if (lookup.reason === "unnamed") return undefined;
  return decodedSegment(/^\/t\/([^/]*)/.exec(new URL(requestUrl).pathname)?.[1] ?? "");
}

/**
 * Requests no served tenant is named in, with the lookup that found none (as the app's env); its
 * pages get the security headers a tenant's pages get.
 */
function withoutTenant() {
  return new Hono<AppEnv & { Bindings: Unrouted }>().use(htmlSecurityHeaders()).all("*", (c) => {
    const lookup = c.env;
    if (isBrowserPage(lookup.pathname))
      return schoolAddressResponse(c, lookup.pathname, refusedName(lookup, c.req.url));
    const message =
      lookup.reason === "not_served"
        ? notServed(lookup.tenant)
        : lookup.reason === "invalid_name"
          ? INVALID_NAME
          : UNNAMED;
    return c.json({ error: { code: "tenant_not_found", message } }, 404);
  });
}

export function workerApp(
  tenants: TenantNamespace,
  desk: StaticFiles["desk"],
  served: ServedTenants,
) {
  const assets = assetRoutes(desk);
  if (!served.ok) {
    // Nothing is forwarded while the list of tenants cannot be read: no tenant is guessed.
    const message = "The Worker's list of tenants cannot be read: fix these variables, then deploy";
    return new Hono()
      .route("/staff/assets", assets)
      .all("*", (c) =>
        c.json({ error: { code: "worker_misconfigured", message, details: served.problems } }, 503),
      );
  }
  const unrouted = withoutTenant();
  return new Hono().route("/staff/assets", assets).all("*", (c) => {
    const lookup = findServedTenant(c.req.raw, served.serves);
    return lookup.found
      ? forwardToTenant(tenants, c.req.raw, lookup)
      : unrouted.fetch(c.req.raw, lookup);
  });
}
