// The desk's cookie session: an HttpOnly cookie holding a refresh token, so the session is that
// token's family. Every request reads the member and the family again (currentStaffPrincipal):
// deactivating the member or revoking the family signs the desk out at its next action. On Workers
// the cookie names its tenant (desk-cookie.ts); a cookie naming another tenant is no session here.
import { eq } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { schema } from "../../db";
import type { AppEnv, StaffPrincipal } from "../http/app-env";
import { ApiError } from "../http/errors";
import { requireStaff } from "../http/staff-auth";
import type { ServiceDeps } from "../services/deps";
import { staffDisplayName } from "../services/directory";
import {
  findRefreshSession,
  issueRefreshToken,
  REFRESH_TOKEN_TTL_MS,
  revokeRefreshToken,
} from "../services/refresh-tokens";
import { currentStaffPrincipal } from "../services/staff-session";
import type { StaffViewer } from "../services/staff-viewer";
import {
  DESK_COOKIE,
  deskCookiePath,
  deskCookieValue,
  deskSignInPath,
  refreshTokenInDeskCookie,
} from "./desk-cookie";

export { DESK_COOKIE } from "./desk-cookie";

export interface DeskSession {
  principal: StaffPrincipal;
  viewer: StaffViewer;
  name: string;
  /** The refresh family the cookie belongs to. */
  sessionId: string;
  /** The school's time zone, for the times pages show. */
  timeZone: string;
  /** The value every form of this session carries in its _csrf field. */
  csrf: string;
  /** Where this desk signs in again (the tenant's link on Workers). */
  signInPath: string;
}

export interface DeskEnv {
  Variables: AppEnv["Variables"] & { desk: DeskSession };
}

type SessionDeps = Pick<ServiceDeps, "db" | "now" | "secrets" | "config">;

/** The token forms carry: bound to the session, so a form from another session is refused. */
const csrfTokenOf = (deps: SessionDeps, sessionId: string) =>
  deps.secrets.hash("token-hash", `desk-csrf:${sessionId}`);

/** The refresh token in the request's desk cookie, when the cookie is this core's (its tenant's). */
function ownDeskToken(deps: SessionDeps, c: Context): string | null {
  const value = getCookie(c, DESK_COOKIE);
  return value ? refreshTokenInDeskCookie(deps.config, value) : null;
}

/** Removes this core's own desk cookie; another tenant's is left as it is. */
function dropOwnDeskCookie(deps: SessionDeps, c: Context): void {
  if (ownDeskToken(deps, c)) deleteCookie(c, DESK_COOKIE, { path: deskCookiePath(deps.config) });
}

/** The session the request's cookie belongs to, read now; null when there is none or it ended. */
export async function readDeskSession(deps: SessionDeps, c: Context): Promise<DeskSession | null> {
  const token = ownDeskToken(deps, c);
  if (!token) return null;
  const session = await findRefreshSession(deps, token);
  if (!session) return null;
  const principal = await currentStaffPrincipal(deps, session);
  if (!principal) return null;
  const [row] = await deps.db
    .select({ member: schema.staff, timeZone: schema.schools.timezone })
    .from(schema.staff)
    .innerJoin(schema.schools, eq(schema.schools.id, schema.staff.schoolId))
    .where(eq(schema.staff.id, principal.staffId));
  if (!row) return null;
  const { member, timeZone } = row;
  return {
    principal,
    viewer: {
      staffId: member.id,
      schoolId: principal.schoolId,
      role: member.role,
      officeFunction: member.officeFunction,
    },
    name: staffDisplayName(member),
    sessionId: session.sessionId,
    timeZone,
    csrf: csrfTokenOf(deps, session.sessionId),
    signInPath: deskSignInPath(deps.config),
  };
}

/** Starts a session for a member who has just proved their phone. */
export async function startDeskSession(
  deps: ServiceDeps,
  c: Context,
  member: { id: number; schoolId: number },
): Promise<void> {
  const { refreshToken } = await issueRefreshToken(deps, member);
  setCookie(c, DESK_COOKIE, deskCookieValue(deps.config, refreshToken), {
    httpOnly: true,
    secure: deps.config.env === "production",
    sameSite: "Lax",
    path: deskCookiePath(deps.config),
    maxAge: Math.floor(REFRESH_TOKEN_TTL_MS / 1000),
  });
}

/** Signs out: the cookie's family is revoked (every desk and token from it stops working). */
export async function endDeskSession(deps: ServiceDeps, c: Context): Promise<void> {
  const token = ownDeskToken(deps, c);
  if (token) await revokeRefreshToken(deps, token);
  dropOwnDeskCookie(deps, c);
}

/** Whether the request comes from the desk's own scripts (fetch or EventSource), not a page load. */
export const fromDeskScript = (c: Context) =>
  c.req.header("x-desk-fragment") !== undefined ||
  (c.req.header("accept") ?? "").includes("text/event-stream");

/**
 * Admits a request with a live session and puts it on the context. Without one, a page load goes
 * to the sign-in page (and back here after), a form post to the sign-in page saying the session
 * ended, a script's request gets 401. A form post must carry the session's _csrf value.
 */
export function requireDeskSession(deps: SessionDeps): MiddlewareHandler<DeskEnv> {
  return async (c, next) => {
    const session = await readDeskSession(deps, c);
    if (!session) {
      dropOwnDeskCookie(deps, c);
      if (fromDeskScript(c)) return c.text("Signed out", 401);
      const signIn = deskSignInPath(deps.config);
      if (c.req.method === "GET") {
        const back = new URL(c.req.url);
        return c.redirect(`${signIn}?next=${encodeURIComponent(back.pathname + back.search)}`, 303);
      }
      return c.redirect(`${signIn}?ended=1`, 303);
    }
    if (c.req.method === "POST") {
      const form = await c.req.parseBody();
      if (form._csrf !== session.csrf) {
        return c.text("This form has expired. Go back, reload the page and try again.", 403);
      }
    }
    c.set("desk", session);
    c.set("staff", session.principal);
    await next();
  };
}

/** Admins only: anyone else is told so. */
export const requireDeskAdmin: MiddlewareHandler<DeskEnv> = async (c, next) => {
  if (c.get("desk").viewer.role !== "admin") return c.text("Only an admin can open this page", 403);
  await next();
};

/**
 * For staff pages outside the desk that its scripts call (the WhatsApp Web link's JSON): a bearer
 * token as /v1 takes it, or else the desk's cookie session.
 */
export function staffFromBearerOrDesk(
  deps: SessionDeps & Pick<ServiceDeps, "secrets">,
): MiddlewareHandler<AppEnv> {
  const bearer = requireStaff(deps);
  return async (c, next) => {
    if (c.req.header("authorization")) return bearer(c, next);
    const session = await readDeskSession(deps, c);
    if (!session) {
      throw new ApiError(401, "unauthorized", "Sign in to the staff desk, or send a bearer token");
    }
    c.set("staff", session.principal);
    await next();
  };
}
