// The desk's stylesheet and script, read once from the plain files beside this module and served
// by the desk itself (no CDN, no build step), revalidated by ETag.
import { readFileSync } from "node:fs";
import { Hono } from "hono";
import { etag } from "hono/etag";

const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), "utf8");

const files = {
  "desk.css": { body: asset("desk.css"), type: "text/css; charset=utf-8" },
  "desk.js": { body: asset("desk.js"), type: "text/javascript; charset=utf-8" },
} as const;

export function assetRoutes() {
  const app = new Hono();
  app.use(etag());
  for (const [name, file] of Object.entries(files)) {
    app.get(`/${name}`, (c) =>
      c.body(file.body, 200, { "content-type": file.type, "cache-control": "no-cache" }),
    );
  }
  return app;
}
