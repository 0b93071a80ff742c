// GET /v1/docs: the interactive API reference (Scalar), its script served from the installed
// @scalar/api-reference package rather than a CDN, so the page works offline and behind a school's
// content filter. Nothing on the page loads from another origin. The runtime supplies the script:
// Node's app serves it, Workers' static assets serve it ahead of the Worker.
import { Hono } from "hono";
import type { AppEnv } from "../../http/app-env";
import { cspNonce } from "../../http/security-headers";
import type { DocsScript, HostedDocsScript } from "../../http/static-files";

/** No web fonts, no telemetry, no AI agent, MCP or developer-tools panels: each calls scalar.com. */
const referenceConfig = (documentUrl: string) => ({
  url: documentUrl,
  showDeveloperTools: "never",
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
});

const page = (scriptSrc: string, documentUrl: string, nonce: string) => `<!doctype html>
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
<script nonce="${nonce}">Scalar.createApiReference("#app", ${JSON.stringify(referenceConfig(documentUrl))});</script>
</body>
</html>
`;

/**
 * The page, and its script where the app serves it. `publicPrefix` is what the public path has
 * before /v1 (`/t/{tenant}` on Workers), so the page fetches its own tenant's document.
 */
export function docsRoutes(publicPrefix: string, docsScript: DocsScript | HostedDocsScript) {
  const documentUrl = `${publicPrefix}/v1/openapi.json`;
  if ("url" in docsScript) {
    return new Hono<AppEnv>().get("/", (c) =>
      c.html(page(docsScript.url, documentUrl, cspNonce(c))),
    );
  }
  /** Versioned, so browsers may keep it until the package changes. */
  const SCRIPT_PATH = `/assets/scalar-api-reference-${docsScript.version}.js`;
  const scriptSrc = `${publicPrefix}/v1/docs${SCRIPT_PATH}`;
  let script: ReturnType<DocsScript["load"]> | undefined;
  return new Hono<AppEnv>()
    .get("/", (c) => c.html(page(scriptSrc, documentUrl, cspNonce(c))))
    .get(SCRIPT_PATH, async (c) => {
      script ??= docsScript.load();
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
