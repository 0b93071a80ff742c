// The stateless Worker's one job: find the tenant a request belongs to and hand it to that
// tenant's Durable Object. Webhooks and sign-in name it in the path (`/t/{tenant}/…`, the URL
// providers are given); a signed-in staff member's requests name it in their token's `ten` claim,
// read here unverified (the object verifies it with the tenant's own key).
import { TENANT_NAME } from "./tenant-config";
import { TENANT_HEADER } from "./tenant-object";

/** The part of a Durable Object namespace binding used here. */
export interface TenantNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(request: Request): Promise<Response> };
}

const TENANT_PATH = /^\/t\/([^/]+)(\/.*)?$/;

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

const notFound = (message: string) =>
  Response.json({ error: { code: "tenant_not_found", message } }, { status: 404 });

export function routeToTenant(request: Request, tenants: TenantNamespace): Promise<Response> {
  const url = new URL(request.url);
  const inPath = TENANT_PATH.exec(url.pathname);
  let tenant: string | undefined;
  if (inPath) {
    tenant = inPath[1];
    url.pathname = inPath[2] ?? "/";
  } else {
    tenant = tenantInToken(request.headers.get("authorization"));
  }
  if (!tenant || !TENANT_NAME.test(tenant)) {
    return Promise.resolve(
      notFound(
        inPath
          ? "No such tenant: names are lowercase letters, digits and hyphens"
          : "Name the tenant in the path (/t/{tenant}/…) or sign in to it first",
      ),
    );
  }
  const headers = new Headers(request.headers);
  headers.set(TENANT_HEADER, tenant);
  const routed = new Request(url, new Request(request, { headers }));
  return tenants.get(tenants.idFromName(tenant)).fetch(routed);
}
