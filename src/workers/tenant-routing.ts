// Which tenant a request to the stateless Worker belongs to, and handing it to that tenant's
// Durable Object. Webhooks and sign-in links name it in the path (`/t/{tenant}/…`, the URLs
// providers and staff are given); a signed-in staff member's requests name it in their token's
// `ten` claim or, from a browser, in the desk's cookie. Both are read here unverified: the object
// verifies them with the tenant's own key, so a wrong name only reaches a tenant that refuses it.
import { parse } from "hono/utils/cookie";
import { DESK_COOKIE, tenantInDeskCookie } from "../desk/desk-cookie";
import { TENANT_HEADER, TENANT_NAME } from "./tenant-config";

/** The part of a Durable Object namespace binding used here. */
export interface TenantNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(request: Request): Promise<Response> };
}

export type TenantLookup =
  /** `url` is the request's, with a `/t/{tenant}` prefix removed. */
  | { found: true; tenant: string; url: URL }
  /** `pathname` is what the path asks for, past a `/t/{name}` prefix whose name is not valid. */
  | { found: false; reason: "invalid_name" | "unnamed"; pathname: string }
  /** A well-formed name this deployment does not serve; `inPath` when the path named it. */
  | { found: false; reason: "not_served"; tenant: string; inPath: boolean; pathname: string };

const TENANT_PATH = /^\/t\/([^/]*)(\/.*)?$/;

/** The `ten` claim of a bearer JWT, unverified, or undefined. */
function tenantInToken(authorization: string | null): string | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  const payload = token?.split(".")[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replaceAll("-", "+").replaceAll("_", "/"));
    const ten = (JSON.parse(json) as { ten?: unknown }).ten;
    return typeof ten === "string" ? ten : undefined;
  } catch {
    return undefined;
  }
}

const deskCookieOf = (request: Request) =>
  parse(request.headers.get("cookie") ?? "", DESK_COOKIE)[DESK_COOKIE];

/** The path's tenant first, then the bearer token's, then the desk cookie's. */
export function findTenant(request: Request): TenantLookup {
  const url = new URL(request.url);
  const inPath = TENANT_PATH.exec(url.pathname);
  if (inPath) {
    const [, name = "", rest = "/"] = inPath;
    if (!TENANT_NAME.test(name)) return { found: false, reason: "invalid_name", pathname: rest };
    url.pathname = rest;
    return { found: true, tenant: name, url };
  }
  const tenant =
    tenantInToken(request.headers.get("authorization")) ??
    tenantInDeskCookie(deskCookieOf(request));
  return tenant && TENANT_NAME.test(tenant)
    ? { found: true, tenant, url }
    : { found: false, reason: "unnamed", pathname: url.pathname };
}

/** The request's tenant if this deployment serves it (served-tenants.ts). */
export function findServedTenant(
  request: Request,
  serves: (tenant: string) => boolean,
): TenantLookup {
  const lookup = findTenant(request);
  if (!lookup.found || serves(lookup.tenant)) return lookup;
  return {
    found: false,
    reason: "not_served",
    tenant: lookup.tenant,
    inPath: TENANT_PATH.test(new URL(request.url).pathname),
    pathname: lookup.url.pathname,
  };
}

/** Hands the request to the tenant's object, naming the tenant in a header it alone sets. */
export function forwardToTenant(
  tenants: TenantNamespace,
  request: Request,
  { tenant, url }: { tenant: string; url: URL },
): Promise<Response> {
  const headers = new Headers(request.headers);
  headers.set(TENANT_HEADER, tenant);
  const routed = new Request(url, new Request(request, { headers }));
  return tenants.get(tenants.idFromName(tenant)).fetch(routed);
}
