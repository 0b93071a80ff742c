// Workers only: the desk's assets bundled as text (wrangler.toml [[rules]]); the API reference's
// 4.8 MB script is not in the Worker but in its static assets (wrangler.toml [assets], public/),
// which Cloudflare serves at this path ahead of the Worker.
import deskCss from "../desk/assets/desk.css";
import deskJs from "../desk/assets/desk.js";
import type { StaticFiles } from "../http/static-files";

/** public/v1/docs/assets/scalar-api-reference.js, a link to the installed package's build. */
export const DOCS_SCRIPT_URL = "/v1/docs/assets/scalar-api-reference.js";

export const workerStaticFiles: StaticFiles = {
  desk: { css: deskCss, js: deskJs },
  docsScript: { url: DOCS_SCRIPT_URL },
};
