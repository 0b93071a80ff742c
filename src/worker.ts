// Workers entry (`main` in wrangler.toml): a stateless Worker that routes each request to its
// tenant's SQLite-backed Durable Object, which runs the core (src/workers/tenant-object.ts).
import { servedTenants } from "./workers/served-tenants";
import { workerStaticFiles } from "./workers/static-files";
import type { TenantNamespace } from "./workers/tenant-routing";
import { workerApp } from "./workers/worker-app";

export { TenantObject } from "./workers/tenant-object";

export interface WorkerEnv {
  TENANTS: TenantNamespace;
  /** The Worker's variables and secrets: which tenants it serves is read from them. */
  [variable: string]: unknown;
}

/** One app per binding: an isolate keeps its env (a version's variables) between requests. */
const apps = new WeakMap<TenantNamespace, ReturnType<typeof workerApp>>();

export default {
  fetch(request: Request, env: WorkerEnv): Promise<Response> {
    let app = apps.get(env.TENANTS);
    if (!app) {
      app = workerApp(env.TENANTS, workerStaticFiles.desk, servedTenants(env));
      apps.set(env.TENANTS, app);
    }
    return Promise.resolve(app.fetch(request));
  },
};
