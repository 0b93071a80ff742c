// /staff/admin/api-keys: admins make, list and revoke the school's API keys, through the service
// /v1/api-keys calls.
import { type Context, Hono } from "hono";
import { createApiKey, listApiKeys, revokeApiKey } from "../../services/api-keys";
import type { DeskDeps } from "../deps";
import type { DeskEnv } from "../session";
import { ApiKeysPage } from "../views/api-keys";
import { renderPage } from "../views/render";

export function apiKeyDeskRoutes(deps: DeskDeps) {
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
      if (!name || name.length > 80)
        return page(c, {
          status: 422,
          error: name ? "Keep the name to 80 characters." : "Say what will use the key.",
        });
      // Shown in this answer only, never behind a redirect that would put it in history.
      const made = await createApiKey(deps, adminOf(c), name);
      return page(c, { status: 201, made: { name, key: made.key } });
    })
    .post("/:id{[0-9]+}/revoke", async (c) => {
      if (!(await revokeApiKey(deps, adminOf(c), Number(c.req.param("id")))))
        return c.text("No such key", 404);
      return c.redirect("/staff/admin/api-keys?done=revoked", 303);
    });
}
