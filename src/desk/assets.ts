// The desk's stylesheet and script, served by the desk itself (no CDN, no build step), revalidated
// by ETag. The runtime's entry supplies their text (src/http/static-files.ts).
import { Hono } from "hono";
import { etag } from "hono/etag";
import type { StaticFiles } from "../http/static-files";

export function assetRoutes(desk: StaticFiles["desk"]) {
  const files = {
    "desk.css": { body: desk.css, type: "text/css; charset=utf-8" },
    "desk.js": { body: desk.js, type: "text/javascript; charset=utf-8" },
  } as const;
  const app = new Hono();
  app.use(etag());
  for (const [name, file] of Object.entries(files)) {
    app.get(`/${name}`, (c) =>
      c.body(file.body, 200, { "content-type": file.type, "cache-control": "no-cache" }),
    );
  }
  return app;
}
