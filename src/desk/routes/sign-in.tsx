// GET /staff and the sign-in forms: a code to the phone on file (the same code service and limits
// as /v1/auth), then the cookie session; and sign-out.

import type { Context } from "hono";
import { Hono } from "hono";
import { clientAddressKey } from "../../http/client-address";
import { requestStaffCode, verifyStaffCode } from "../../services/staff-auth";
import type { DeskDeps } from "../deps";
import { deskSignInPath } from "../desk-cookie";
import {
  type DeskEnv,
  endDeskSession,
  readDeskSession,
  requireDeskSession,
  startDeskSession,
} from "../session";
import { renderPage } from "../views/render";
import { SignInPage } from "../views/sign-in";

/** Only a path inside the desk may be where sign-in returns to. */
const safeNext = (next: unknown) =>
  typeof next === "string" && /^\/staff\/[\w\-/?=&%.]*$/.test(next) ? next : "/staff/tickets";

const field = (form: Record<string, unknown>, name: string) =>
  typeof form[name] === "string" ? (form[name] as string).trim() : "";

export function signInRoutes(deps: DeskDeps) {
  /** Where the sign-in forms post: on Workers the tenant's link, as no cookie names it yet. */
  const signInPath = deskSignInPath(deps.config);
  /** Counts the attempt against the shared sign-in limits; the refusal page, or null. */
  async function limited(c: Context, step: "phone" | "code", phone: string, next: string) {
    const refusal = deps.signInLimits.hit(clientAddressKey(deps.clientIp(c)), phone);
    if (!refusal) return null;
    c.header("Retry-After", String(refusal.retryAfterSeconds));
    return renderPage(
      c,
      <SignInPage
        signInPath={signInPath}
        step={step}
        phone={phone}
        next={next}
        errors={{
          form: `Too many sign-in attempts ${refusal.what}. Try again in ${Math.ceil(refusal.retryAfterSeconds / 60)} min.`,
        }}
      />,
      429,
    );
  }

  return new Hono<DeskEnv>()
    .get("/", async (c) => {
      if (await readDeskSession(deps, c)) return c.redirect("/staff/tickets", 303);
      const ended = c.req.query("ended") !== undefined;
      return renderPage(
        c,
        <SignInPage
          signInPath={signInPath}
          step="phone"
          next={c.req.query("next") ?? ""}
          {...(ended ? { notice: "You have been signed out. Sign in again to go on." } : {})}
        />,
      );
    })
    .post("/sign-in/code", async (c) => {
      const form = await c.req.parseBody();
      const phone = field(form, "phone");
      const next = field(form, "next");
      if (!phone) {
        return renderPage(
          c,
          <SignInPage
            signInPath={signInPath}
            step="phone"
            next={next}
            errors={{ phone: "Enter your mobile number" }}
          />,
          422,
        );
      }
      const refused = await limited(c, "phone", phone, next);
      if (refused) return refused;
      await requestStaffCode(deps, phone, clientAddressKey(deps.clientIp(c)));
      return renderPage(
        c,
        <SignInPage
          signInPath={signInPath}
          step="code"
          phone={phone}
          next={next}
          notice="If this number belongs to staff, a code is on its way. It expires in 10 minutes."
        />,
      );
    })
    .post("/sign-in", async (c) => {
      const form = await c.req.parseBody();
      const phone = field(form, "phone");
      const code = field(form, "code");
      const next = field(form, "next");
      const refused = await limited(c, "code", phone, next);
      if (refused) return refused;
      const member =
        phone && code
          ? await verifyStaffCode(deps, phone, code, clientAddressKey(deps.clientIp(c)))
          : null;
      if (!member) {
        return renderPage(
          c,
          <SignInPage
            signInPath={signInPath}
            step="code"
            phone={phone}
            next={next}
            errors={{
              code: "That code is wrong, expired or already used. Check it, or ask for a new one.",
            }}
          />,
          401,
        );
      }
      await startDeskSession(deps, c, member);
      return c.redirect(safeNext(next), 303);
    })
    .post("/sign-out", requireDeskSession(deps), async (c) => {
      await endDeskSession(deps, c);
      return c.redirect(signInPath, 303);
    });
}
