// Parentline's core, composed for either runtime: channels, inbound road, dispatcher, jobs, app.
// Each runtime's entry supplies the database and its adapters: src/parentline.ts (Node) and
// src/workers/tenant-object.ts (a Durable Object).
import type { Context } from "hono";
import type { Database, GroupCommit } from "../db";
import { seedDemoData } from "../db/seed";
import { createApp } from "./app";
import type { Config } from "./config";
import type {
  Channel,
  ChannelContext,
  ChannelRegistry,
  ChannelSetup,
  InboundRoadHandle,
} from "./contracts";
import { createInboundRoad } from "./conversations/inbound-road";
import { staffFromBearerOrDesk } from "./desk";
import type { AppEnv } from "./http/app-env";
import type { StaticFiles } from "./http/static-files";
import { AnnouncementJobs, createUpkeepJobs, StaffAlertJobs } from "./jobs";
import { createLogger, type Logger, maskPhone } from "./logger";
import { createMetrics } from "./metrics";
import { OutboxDispatcher } from "./outbox";
import { setOptedOut } from "./outbox/opt-outs";
import { recordReceipt } from "./outbox/receipts";
import type { Scheduler } from "./runtime/scheduler";
import { createSecrets } from "./security";
import type { ServiceDeps } from "./services/deps";
import { StaffEventHub, type Timers } from "./services/staff-event-hub";

export const VERSION = "0.1.0";

export interface CoreOptions<Backup extends object = object> {
  db: Database;
  /** The bots/ folders this runtime can run. */
  channelRegistry: ChannelRegistry;
  staticFiles: StaticFiles;
  logger?: Logger;
  now?: () => number;
  /** The event streams' heartbeat timer (tests tick it by hand). */
  timers?: Timers;
  /** Timers on Node, the object's alarm on Workers. */
  scheduler?: Scheduler;
  /** Node's group commit; alone per step otherwise. */
  groupCommit?: GroupCommit;
  /** One rotating backup now (Node's file database). */
  takeBackup?: () => Promise<Backup>;
  /** The caller's address from the connection (Node's socket). */
  clientIp?: (c: Context<AppEnv>) => string | undefined;
  /** The process's own gauges (CPU, memory, event loop) in /metrics: Node's only. */
  processMetrics?: boolean;
  /** Closes the database once everything else has stopped. */
  closeDatabase?: () => Promise<void>;
}

/** Channels that reach a phone by its number, SMS first: where one-time codes may go. */
function phoneChannelOrder(channels: ReadonlyMap<string, Channel>): string[] {
  return [...channels.values()]
    .filter((channel) => channel.capabilities.phoneAddressed)
    .map((channel) => channel.name as string)
    .sort((a, b) => Number(b === "sms") - Number(a === "sms"));
}

/** Builds every bots/ folder's setup; the ones that are off say why. */
function setUpChannels(registry: ChannelRegistry, context: ChannelContext) {
  const setups = new Map<string, ChannelSetup>();
  const off: Record<string, string> = {};
  for (const [folder, factory] of Object.entries(registry)) {
    const setup = factory({ ...context, log: context.log.child({ channel: folder }) });
    if ("off" in setup) off[folder] = `off: ${setup.off}`;
    else setups.set(folder, setup);
  }
  const channels = new Map<string, Channel>();
  for (const setup of setups.values())
    for (const channel of setup.channels) channels.set(channel.name, channel);
  /** Each folder's state for /health and the start banner: "on", a live state, or why it is off. */
  const states = (): Record<string, string> => ({
    ...Object.fromEntries([...setups].map(([folder, setup]) => [folder, setup.state?.() ?? "on"])),
    ...off,
  });
  return { setups, channels, states };
}

export async function composeParentline<Backup extends object = object>(
  config: Config,
  options: CoreOptions<Backup>,
) {
  const log = options.logger ?? createLogger(config.logLevel);
  const now = options.now ?? Date.now;
  const { db, scheduler } = options;
  const seeded = config.demoData ? await seedDemoData(db, now()) : { seeded: false };

  const secrets = createSecrets(config.appSecret);
  const { setups, channels, states } = setUpChannels(options.channelRegistry, {
    config,
    log,
    now,
    requireStaff: staffFromBearerOrDesk({ secrets, now, db, config }),
  });
  const metrics = createMetrics(db, {
    defaultMetrics: options.processMetrics !== false && config.env !== "test",
  });
  const dispatcher = new OutboxDispatcher({
    db,
    channels,
    secrets,
    log: log.child({ component: "outbox" }),
    now,
    pollMs: config.outboxPollMs,
    leaseMs: config.outboxLeaseMs,
    sendsPerRun: config.outboxSendsPerRun,
    metrics,
    scheduler,
  });
  const phoneChannels = phoneChannelOrder(channels);
  const staffEvents = new StaffEventHub(db, options.timers);
  const deps: ServiceDeps = {
    db,
    secrets,
    config,
    log,
    now,
    phoneChannels: () => phoneChannels,
    metrics,
    outboxQueued: () => dispatcher.kick(),
    eventsRecorded: () => void staffEvents.notify(),
    staffAccessChanged: (staffId) => void staffEvents.recheck(staffId),
    scheduler,
  };
  const road = createInboundRoad({ ...deps, channels, groupCommit: options.groupCommit });
  const announcementJobs = new AnnouncementJobs(deps, log.child({ component: "announcements" }));
  const staffAlertJobs = new StaffAlertJobs(deps, log.child({ component: "staff-alerts" }));
  const upkeep = createUpkeepJobs({
    db,
    config,
    log: log.child({ component: "upkeep" }),
    now,
    scheduler,
    takeBackup: options.takeBackup,
  });
  const roadHandle: InboundRoadHandle = {
    receive: road.receive,
    deliverNow: (ids) => dispatcher.deliverNow(ids),
    deliverSoon: (ids) => dispatcher.deliverSoon(ids),
    recordReceipt: async (receipt) => {
      const moved = await recordReceipt(db, receipt, now());
      if (moved && (receipt.status === "failed" || receipt.status === "undelivered")) {
        await dispatcher.fallBackAfterReceipt(receipt);
      }
      return moved;
    },
    setOptedOut: (contact, optedOut, reason) => {
      log.info(
        { channel: contact.channel, address: maskPhone(contact.address), optedOut, reason },
        "opt-out changed",
      );
      return setOptedOut(db, contact, optedOut, now());
    },
  };
  const app = createApp({
    ...deps,
    road: roadHandle,
    conversations: road,
    staffEvents,
    channelSetups: setups,
    channelStates: states,
    version: VERSION,
    staticFiles: options.staticFiles,
    clientIp: options.clientIp,
  });

  return {
    app,
    db,
    dispatcher,
    /** Scheduled announcements, daily digests, finished announcements (tests run them by hand). */
    announcementJobs,
    /** Held follow-up alerts, SLA reminders and breaches, morning summaries (tests run them). */
    staffAlertJobs,
    /** Dedupe pruning and rotating backups (tests run them by hand). */
    upkeep,
    road,
    roadHandle,
    /** The open /v1/events streams of this process. */
    staffEvents,
    channelStates: states,
    seeded: seeded.seeded,
    log,
    /** Starts background work: the dispatcher, and each channel's (webhook registration, clients). */
    async start() {
      dispatcher.start();
      announcementJobs.start();
      staffAlertJobs.start();
      upkeep.start();
      for (const [folder, setup] of setups) {
        try {
          await setup.start?.(roadHandle);
        } catch (error) {
          log.error({ err: error, channel: folder }, "channel failed to start");
        }
      }
    },
    /** Stops the channels, finishes in-flight conversations and sends, then closes the database. */
    async stop() {
      for (const setup of setups.values()) await setup.stop?.();
      await road.drain();
      await announcementJobs.stop();
      await staffAlertJobs.stop();
      await dispatcher.stop();
      await upkeep.stop();
      await options.closeDatabase?.();
    },
  };
}

export type ParentlineCore = Awaited<ReturnType<typeof composeParentline>>;
