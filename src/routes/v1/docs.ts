// GET /v1/docs: the interactive API reference (Scalar), its script served from the installed
// @scalar/api-reference package rather than a CDN, so the page works offline and behind a school's
// content filter. Nothing on the page loads from another origin.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { Hono } from "hono";
import type { AppEnv } from "../../http/app-env";
import { cspNonce } from "../../http/security-headers";

// The package exports neither its package.json nor its browser build: found from its main module.
const packageRoot = join(
  dirname(createRequire(import.meta.url).resolve("@scalar/api-reference")),
  "..",
);
const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
  version: string;
};
/** The package's self-contained browser build (it defines window.Scalar). */
const STANDALONE = join(packageRoot, "dist", "browser", "standalone.js");
/** Versioned, so browsers may keep it until the package changes. */
const SCRIPT_PATH = `/assets/scalar-api-reference-${version}.js`;

/** No web fonts, no telemetry, no AI agent, MCP or developer-tools panels: each calls scalar.com. */
const referenceConfig = {
  url: "/v1/openapi.json",
  showDeveloperTools: "never",
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
};

const page = (scriptSrc: string, nonce: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parentline staff API</title>
<link rel="icon" href="data:,">
</head>
<body>
<div id="app"></div>
<script src="${scriptSrc}"></script>
<script nonce="${nonce}">Scalar.createApiReference("#app", ${JSON.stringify(referenceConfig)});</script>
</body>
</html>
`;

/** The script as installed (about 4.8 MB) and gzipped once (about a quarter of that). */
async function loadScript() {
  const plain = await readFile(STANDALONE);
  return { plain, gzipped: await promisify(gzip)(plain) };
}

export function docsRoutes(basePath: string) {
  let script: ReturnType<typeof loadScript> | undefined;
  return new Hono<AppEnv>()
    .get("/", (c) => c.html(page(`${basePath}${SCRIPT_PATH}`, cspNonce(c))))
    .get(SCRIPT_PATH, async (c) => {
      script ??= loadScript();
      const { plain, gzipped } = await script;
      const acceptsGzip = /\bgzip\b/.test(c.req.header("accept-encoding") ?? "");
      return c.body(acceptsGzip ? gzipped : plain, 200, {
        "content-type": "text/javascript; charset=utf-8",
        "cache-control": "public, max-age=31536000, immutable",
        "x-content-type-options": "nosniff",
        vary: "accept-encoding",
        ...(acceptsGzip ? { "content-encoding": "gzip" } : {}),
      });
    });
}
