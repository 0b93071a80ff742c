// /staff/admin/api-keys: admins make, list and revoke the school's API keys, through the service
// /v1/api-keys calls.
import { type Context, Hono } from "hono";
import { randomToken } from "../../security";
import { createApiKey, listApiKeys, revokeApiKey } from "../../services/api-keys";
import type { DeskDeps } from "../deps";
import type { DeskEnv } from "../session";
import { ApiKeysPage } from "../views/api-keys";
import { renderPage } from "../views/render";

/** How many recent "make a key" forms are remembered, so a reloaded form makes no second key. */
const REMEMBERED_FORMS = 500;

export function apiKeyDeskRoutes(deps: DeskDeps) {
  // The page that shows a new key answers the form's POST (the key must not sit behind a redirect
  // in history), so reloading it sends the form again. Each form carries its own token; a token
  // already used answers what happened instead of making a second key. Kept in memory: a restart
  // between the two sends is the only case that makes two keys, and both are listed to revoke.
  const usedForms = new Map<string, string>();
  const rememberForm = (token: string, keyName: string) => {
    usedForms.set(token, keyName);
    const oldest = usedForms.keys().next().value;
    if (usedForms.size > REMEMBERED_FORMS && oldest !== undefined) usedForms.delete(oldest);
  };

  const adminOf = (c: Context<DeskEnv>) => {
    const { viewer } = c.get("desk");
    return { staffId: viewer.staffId, schoolId: viewer.schoolId };
  };

  async function page(
    c: Context<DeskEnv>,
    options: {
      made?: { name: string; key: string };
      error?: string;
      notice?: string | undefined;
      status?: 200 | 201 | 404 | 422;
    } = {},
  ) {
    const session = c.get("desk");
    return renderPage(
      c,
      <ApiKeysPage
        session={session}
        keys={await listApiKeys(deps, session.viewer.schoolId)}
        made={options.made}
        error={options.error}
        notice={options.notice}
        formToken={randomToken(16)}
      />,
      options.status ?? 200,
    );
  }

  return new Hono<DeskEnv>()
    .get("/", (c) =>
      page(c, { notice: c.req.query("done") === "revoked" ? "Key revoked." : undefined }),
    )
    .post("/", async (c) => {
      const form = await c.req.parseBody();
      const name = typeof form.name === "string" ? form.name.trim() : "";
      const formToken = typeof form.form === "string" ? form.form : "";
      const alreadyMade = usedForms.get(`${adminOf(c).staffId}:${formToken}`);
      if (alreadyMade !== undefined)
        return page(c, {
          notice: `This form was already sent: the key for ${alreadyMade} was made and shown once. If you did not copy it, revoke it below and make another.`,
        });
      if (!name || name.length > 80)
        return page(c, {
          status: 422,
          error: name ? "Keep the name to 80 characters." : "Say what will use the key.",
        });
      // Shown in this answer only, never behind a redirect that would put it in history.
      const made = await createApiKey(deps, adminOf(c), name);
      if (formToken) rememberForm(`${adminOf(c).staffId}:${formToken}`, name);
      return page(c, { status: 201, made: { name, key: made.key } });
    })
    .post("/:id{[0-9]+}/revoke", async (c) => {
      if (!(await revokeApiKey(deps, adminOf(c), Number(c.req.param("id")))))
        return c.text("No such key", 404);
      return c.redirect("/staff/admin/api-keys?done=revoked", 303);
    });
}
