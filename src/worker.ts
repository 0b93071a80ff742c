// Workers entry (`main` in wrangler.toml): a stateless Worker that routes each request to its
// tenant's SQLite-backed Durable Object, which runs the core (src/workers/tenant-object.ts).
import { workerStaticFiles } from "./workers/static-files";
import type { TenantNamespace } from "./workers/tenant-routing";
import { workerApp } from "./workers/worker-app";

export { TenantObject } from "./workers/tenant-object";

export interface WorkerEnv {
  TENANTS: TenantNamespace;
}

/** One app per binding: an isolate keeps its env between requests. */
const apps = new WeakMap<TenantNamespace, ReturnType<typeof workerApp>>();

export default {
  fetch(request: Request, env: WorkerEnv): Promise<Response> {
    let app = apps.get(env.TENANTS);
    if (!app) {
      app = workerApp(env.TENANTS, workerStaticFiles.desk);
      apps.set(env.TENANTS, app);
    }
    return Promise.resolve(app.fetch(request));
  },
};
