// Workers only: one SQLite-backed Durable Object per tenant, running the same core as Node's
// process: the inbound road, the flows, the outbox and the jobs over the object's own database,
// the dispatcher and the jobs woken by the object's alarm. A core that cannot be built (wrong
// variables, a storage failure) is not kept: each request is told why, and the object resets so
// that its next request reads the variables of the Worker's current version.

import { workerChannelRegistry } from "../../bots/workers";
import type { DurableSqlStorage } from "../../db/durable-object";
import { openDurableObjectDatabase } from "../../db/durable-object";
import { composeParentline, type ParentlineCore } from "../compose";
import { ConfigError } from "../config";
import { createLogger } from "../logger";
import { type AlarmScheduler, type AlarmStorage, alarmScheduler } from "./alarm-scheduler";
import { workerStaticFiles } from "./static-files";
import { TENANT_HEADER, TENANT_NAME, tenantConfig, tenantConfigVariable } from "./tenant-config";

const TENANT_KEY = "tenant";
const LOG_LEVELS = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

/** The part of a Durable Object's state used here. */
export interface TenantObjectState {
  storage: DurableSqlStorage &
    AlarmStorage & {
      get<T>(key: string): Promise<T | undefined>;
      put<T>(key: string, value: T): Promise<void>;
    };
  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>;
  /** Resets the object: its next event builds a new one, on the Worker's newest version. */
  abort?(reason?: string): void;
}

interface TenantCore {
  parentline: ParentlineCore;
  scheduler: AlarmScheduler;
}

export class TenantObject {
  private core: Promise<TenantCore> | undefined;

  constructor(
    private readonly state: TenantObjectState,
    private readonly env: Record<string, unknown>,
  ) {
    // Woken by its alarm after an eviction: the tenant it serves is in its storage. A core that
    // fails here is reported by the request that asks for it (a throw here resets the object).
    void state.blockConcurrencyWhile(async () => {
      const tenant = await state.storage.get<string>(TENANT_KEY);
      if (tenant) await this.coreFor(tenant).catch(() => undefined);
    });
  }

  async fetch(request: Request): Promise<Response> {
    const tenant = request.headers.get(TENANT_HEADER) ?? "";
    if (!TENANT_NAME.test(tenant)) return new Response("no tenant", { status: 400 });
    let parentline: ParentlineCore;
    try {
      ({ parentline } = await this.ready(tenant));
    } catch (error) {
      return this.cannotStart(tenant, error);
    }
    const headers = new Headers(request.headers);
    headers.delete(TENANT_HEADER);
    return parentline.app.fetch(new Request(request, { headers }));
  }

  async alarm(): Promise<void> {
    const tenant = await this.state.storage.get<string>(TENANT_KEY);
    if (!tenant) return;
    const { scheduler } = await this.coreFor(tenant);
    await scheduler.fire();
  }

  /**
   * The core; only the first request builds it, with the object's other events held. Its failure
   * leaves blockConcurrencyWhile as a value, since a throw there resets the object mid-request.
   */
  private async ready(tenant: string): Promise<TenantCore> {
    if (this.core) return this.core;
    const built = await this.state.blockConcurrencyWhile(() =>
      this.coreFor(tenant).then(
        (core) => ({ core }),
        (failed: unknown) => ({ failed }),
      ),
    );
    if ("failed" in built) throw built.failed;
    return built.core;
  }

  /**
   * The answer while the core cannot be built: 503 with the problems when the tenant's variables
   * are wrong (each names its variable or setting, never a value). The object then resets, since
   * the variables it was given are those of the Worker's version it started on: a fixed variable
   * is a new version, which its next request starts on.
   */
  private cannotStart(tenant: string, error: unknown): Response {
    // LOG_LEVEL may be the very variable that is wrong: an unknown level logs errors.
    const level = String(this.env.LOG_LEVEL ?? "");
    const log = createLogger(LOG_LEVELS.has(level) ? level : "error").child({ tenant });
    log.error({ err: error }, "tenant cannot start");
    // Once this answer is on its way: an abort during the request would fail it instead.
    setTimeout(
      () => this.state.abort?.(`tenant ${tenant} cannot start; reset to read its variables again`),
      0,
    );
    if (error instanceof ConfigError)
      return Response.json(
        {
          error: {
            code: "tenant_misconfigured",
            message: `Tenant "${tenant}" cannot start: its configuration is invalid. Fix ${tenantConfigVariable(tenant)} or the Worker's variables (each problem names one), then deploy.`,
            details: error.problems,
          },
        },
        { status: 503 },
      );
    return Response.json(
      {
        error: {
          code: "tenant_unavailable",
          message: `Tenant "${tenant}" cannot start; the Worker's logs say why. Try again shortly.`,
        },
      },
      { status: 503 },
    );
  }

  /** Builds the core once: migrations, the tenant's config, channels, dispatcher and jobs. */
  private coreFor(tenant: string): Promise<TenantCore> {
    this.core ??= (async () => {
      await this.state.storage.put(TENANT_KEY, tenant);
      const config = tenantConfig(this.env, tenant);
      const db = await openDurableObjectDatabase(this.state.storage);
      const scheduler = alarmScheduler(this.state.storage);
      const parentline = await composeParentline(config, {
        db,
        channelRegistry: workerChannelRegistry,
        staticFiles: workerStaticFiles,
        scheduler,
        processMetrics: false,
        // Cloudflare sets it to the client's address on every request and a client cannot: the
        // sign-in limits count per client, not one "unknown" address for everyone.
        clientIp: (c) => c.req.header("cf-connecting-ip"),
        logger: createLogger(config.logLevel).child({ tenant }),
      });
      await parentline.start();
      return { parentline, scheduler };
    })();
    // A failed build is not kept: the next request or alarm builds again.
    const building = this.core;
    building.catch(() => {
      if (this.core === building) this.core = undefined;
    });
    return building;
  }
}
