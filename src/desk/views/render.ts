// Sends a desk page: the doctype, then the rendered tree (never cached: it is one member's view).
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Renders a tree to HTML (async components resolve here). */
export const renderHtml = async (tree: Child): Promise<string> =>
  String(await (tree as { toString(): string | Promise<string> }).toString());

export async function renderPage(c: Context, page: Child, status: ContentfulStatusCode = 200) {
  c.header("cache-control", "no-store");
  return c.html(`<!doctype html>${await renderHtml(page)}`, status);
}
