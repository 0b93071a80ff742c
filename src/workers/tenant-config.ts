// A tenant's configuration on Workers: the Worker's variables and secrets, overridden by the
// tenant's own (a JSON object in TENANT_CONFIG_<TENANT>), with keys and URLs of its own.
import { type Config, ConfigError, parseConfig } from "../config";

/** The header the Worker names the tenant in; a client's own is replaced before routing. */
export const TENANT_HEADER = "x-parentline-tenant";

/** Tenant names: what `/t/{tenant}/…`, a token's `ten` claim and a desk cookie may hold. */
export const TENANT_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The variable holding a tenant's own settings, e.g. TENANT_CONFIG_GREENFIELD_EAST. */
export const tenantConfigVariable = (tenant: string) =>
  `TENANT_CONFIG_${tenant.toUpperCase().replaceAll("-", "_")}`;

/** Where a Worker is reached, so a tenant's webhooks are `${WORKER_PUBLIC_URL}/t/{tenant}/webhooks/…`. */
const WORKER_PUBLIC_URL = "WORKER_PUBLIC_URL";

/** The tenant's own settings; a problem names the variable and never repeats its value. */
function tenantOverrides(variable: string, own: string | undefined): Record<string, string> {
  if (!own) return {};
  const problem = (what: string) =>
    new ConfigError([`${variable}: not a JSON object of settings (${what})`]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(own);
  } catch {
    // JSON.parse's message can quote the text, secrets included.
    throw problem("it is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw problem("it is not an object");
  const entries = Object.entries(parsed);
  // A number or true/false is written as a variable would be; a list or an object is no setting.
  const unreadable = entries.filter(
    ([, value]) => !["string", "number", "boolean"].includes(typeof value),
  );
  if (unreadable.length > 0)
    throw problem(`${unreadable.map(([name]) => name).join(", ")}: not a string`);
  return Object.fromEntries(entries.map(([name, value]) => [name, String(value)]));
}

/** The tenant's config; a ConfigError names each problem (the variable, or the setting). */
export function tenantConfig(env: Record<string, unknown>, tenant: string): Config {
  const strings = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
  const variable = tenantConfigVariable(tenant);
  const overrides = tenantOverrides(variable, strings[variable]);
  const base = strings[WORKER_PUBLIC_URL];
  const config = parseConfig({
    // A Durable Object is woken by requests and its alarm, never by a long poll.
    TELEGRAM_MODE: "webhook",
    ...strings,
    ...(base ? { PUBLIC_BASE_URL: `${base.replace(/\/$/, "")}/t/${tenant}` } : {}),
    ...overrides,
  });
  // Each tenant signs with keys of its own, so one tenant's token or session is forged to another.
  return { ...config, appSecret: `${config.appSecret}\u0000tenant:${tenant}`, tenant };
}
