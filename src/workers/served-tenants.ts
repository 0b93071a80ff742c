// Which tenants a deployment serves. Any well-formed name would otherwise reach an object of its
// own, made on first use with its migrations applied: anyone could make objects without end
// (storage and requests billed to the school group), and a mistyped sign-in link would show an
// empty school's sign-in page that never sends a code. In production the Worker forwards only
// to the tenants named in TENANT_NAMES or given a TENANT_CONFIG_<TENANT>; in development (as
// `npm run dev:worker` runs) any name is served, so trying it out needs no list.
import { TENANT_NAME } from "./tenant-config";

const CONFIG_PREFIX = "TENANT_CONFIG_";

export type ServedTenants =
  | { ok: true; serves: (tenant: string) => boolean }
  /** Each problem names the variable and the name in it that cannot be a tenant's. */
  | { ok: false; problems: string[] };

/** TENANT_CONFIG_GREENFIELD_EAST is greenfield-east's (names have hyphens, never underscores). */
const tenantOfVariable = (variable: string) =>
  variable.slice(CONFIG_PREFIX.length).toLowerCase().replaceAll("_", "-");

export function servedTenants(env: Record<string, unknown>): ServedTenants {
  if (env.NODE_ENV !== "production") return { ok: true, serves: () => true };
  const listed = typeof env.TENANT_NAMES === "string" ? env.TENANT_NAMES : "";
  const named = listed.split(/[\s,]+/).filter(Boolean);
  const configured = Object.keys(env)
    .filter((variable) => variable.startsWith(CONFIG_PREFIX))
    .map((variable) => ({ variable, tenant: tenantOfVariable(variable) }));
  const problems = [
    ...named
      .filter((tenant) => !TENANT_NAME.test(tenant))
      .map((tenant) => `TENANT_NAMES: “${tenant}” is not a tenant name`),
    ...configured
      .filter(({ tenant }) => !TENANT_NAME.test(tenant))
      .map(({ variable }) => `${variable}: names no tenant`),
  ];
  if (problems.length > 0)
    return {
      ok: false,
      problems: [...problems, "a tenant name is lowercase letters, digits and hyphens"],
    };
  const served = new Set([...named, ...configured.map(({ tenant }) => tenant)]);
  return { ok: true, serves: (tenant) => served.has(tenant) };
}
