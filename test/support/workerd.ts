// The Worker (wrangler.toml, src/worker.ts) on the local Workers runtime: wrangler bundles it as
// `wrangler deploy` would and runs it in workerd through Miniflare, each tenant's Durable Object
// in memory (nothing persisted between runs). vitest 3 drives it through wrangler's programmatic
// API, as @cloudflare/vitest-pool-workers needs vitest 4.
import { unstable_startWorker } from "wrangler";

export interface LocalWorker {
  /** A request to the Worker, by path (`/t/a/health`). */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The Worker's own address (http://127.0.0.1:{port}). */
  url: string;
  dispose(): Promise<void>;
}

/** Starts the Worker with these variables (each a plain-text binding, as in [vars]). */
export async function startLocalWorker(
  vars: Record<string, string>,
  config = "wrangler.toml",
): Promise<LocalWorker> {
  const worker = await unstable_startWorker({
    config,
    bindings: Object.fromEntries(
      Object.entries(vars).map(([name, value]) => [name, { type: "plain_text", value }]),
    ),
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      persist: false,
      logLevel: "warn",
    } as never,
  });
  await worker.ready;
  const url = String(await worker.url).replace(/\/$/, "");
  return {
    url,
    fetch: (path, init) => fetch(`${url}${path}`, init),
    dispose: () => worker.dispose(),
  };
}
