// Workers only: the desk's assets bundled as text (wrangler.toml [[rules]]). The API reference's
// script (4.8 MB) is not shipped in the Worker, so /v1/docs is Node's; /v1/openapi.json is served.
import deskCss from "../desk/assets/desk.css";
import deskJs from "../desk/assets/desk.js";
import type { StaticFiles } from "../http/static-files";

export const workerStaticFiles: StaticFiles = { desk: { css: deskCss, js: deskJs } };
