// The desk's session cookie on each runtime. On Node it holds the refresh token alone, at /staff.
// On Workers it holds `{tenant}.{token}` at /: the stateless Worker reads the tenant to route
// /staff/… (and the sign-in link /t/{tenant}/staff sees the cookie too), and only that tenant's
// object can verify the token, whose hash is keyed by the tenant's own secret.
import type { Config } from "../config";
import { tenantPathPrefix } from "../http/public-path";

export const DESK_COOKIE = "parentline_desk";

type RuntimeConfig = Pick<Config, "tenant">;

/** Where a member signs in: the link an admin hands out (Workers name the tenant in it). */
export const deskSignInPath = (config: RuntimeConfig) => `${tenantPathPrefix(config)}/staff`;

/** The cookie's Path: the desk on Node; on Workers also /t/{tenant}/staff, the sign-in link. */
export const deskCookiePath = (config: RuntimeConfig) => (config.tenant ? "/" : "/staff");

export const deskCookieValue = (config: RuntimeConfig, refreshToken: string) =>
  config.tenant ? `${config.tenant}.${refreshToken}` : refreshToken;

/** The refresh token the cookie holds for this core, or null when it names another tenant. */
export function refreshTokenInDeskCookie(config: RuntimeConfig, value: string): string | null {
  if (!config.tenant) return value;
  const prefix = `${config.tenant}.`;
  return value.startsWith(prefix) && value.length > prefix.length
    ? value.slice(prefix.length)
    : null;
}

/** The tenant a desk cookie names, unverified: what the Worker routes by. */
export function tenantInDeskCookie(value: string | undefined): string | undefined {
  const dot = value?.indexOf(".") ?? -1;
  return value && dot > 0 ? value.slice(0, dot) : undefined;
}
