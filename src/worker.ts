// Workers entry (`main` in wrangler.toml): a stateless Worker that routes each request to its
// tenant's SQLite-backed Durable Object, which runs the core (src/workers/tenant-object.ts).
import { routeToTenant, type TenantNamespace } from "./workers/tenant-routing";

export { TenantObject } from "./workers/tenant-object";

export interface WorkerEnv {
  TENANTS: TenantNamespace;
}

export default {
  fetch(request: Request, env: WorkerEnv): Promise<Response> {
    return routeToTenant(request, env.TENANTS);
  },
};
