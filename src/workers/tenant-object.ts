// Workers only: one SQLite-backed Durable Object per tenant, running the same core as Node's
// process: the inbound road, the flows, the outbox and the jobs over the object's own database,
// the dispatcher and the jobs woken by the object's alarm.

import { workerChannelRegistry } from "../../bots/workers";
import type { DurableSqlStorage } from "../../db/durable-object";
import { openDurableObjectDatabase } from "../../db/durable-object";
import { composeParentline, type ParentlineCore } from "../compose";
import { createLogger } from "../logger";
import { type AlarmScheduler, type AlarmStorage, alarmScheduler } from "./alarm-scheduler";
import { workerStaticFiles } from "./static-files";
import { TENANT_HEADER, TENANT_NAME, tenantConfig } from "./tenant-config";

const TENANT_KEY = "tenant";

/** The part of a Durable Object's state used here. */
export interface TenantObjectState {
  storage: DurableSqlStorage &
    AlarmStorage & {
      get<T>(key: string): Promise<T | undefined>;
      put<T>(key: string, value: T): Promise<void>;
    };
  blockConcurrencyWhile<T>(callback: () => Promise<T>): Promise<T>;
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
    // Woken by its alarm after an eviction: the tenant it serves is in its storage.
    void state.blockConcurrencyWhile(async () => {
      const tenant = await state.storage.get<string>(TENANT_KEY);
      if (tenant) await this.coreFor(tenant);
    });
  }

  async fetch(request: Request): Promise<Response> {
    const tenant = request.headers.get(TENANT_HEADER) ?? "";
    if (!TENANT_NAME.test(tenant)) return new Response("no tenant", { status: 400 });
    // Only the first request waits with the object's other events held: the core is built once.
    const { parentline } = await (this.core ??
      this.state.blockConcurrencyWhile(() => this.coreFor(tenant)));
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
    return this.core;
  }
}
