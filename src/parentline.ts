// The composition root for Node: database, demo data, channels, inbound road, dispatcher, app.
// src/main.ts serves it; tests build it over an in-memory database.
import { getConnInfo } from "@hono/node-server/conninfo";
import { channelRegistry } from "../bots";
import { type Database, openSqliteDatabase } from "../db";
import { seedDemoData } from "../db/seed";
import { createApp } from "./app";
import type { Config } from "./config";
import type { Channel, ChannelSetup } from "./contracts";
import { createInboundRoad } from "./conversations/inbound-road";
import { createLogger, type Logger } from "./logger";
import { createMetrics } from "./metrics";
import { OutboxDispatcher } from "./outbox";
import { createSecrets } from "./security";
import type { ServiceDeps } from "./services/deps";

export const VERSION = "0.1.0";

export interface BuildOptions {
  logger?: Logger;
  now?: () => number;
  /** An already open database (tests); otherwise DATABASE_PATH is opened. */
  db?: Database;
}

/** Channels that reach a phone by its number, SMS first: where one-time codes may go. */
function phoneChannelOrder(channels: ReadonlyMap<string, ChannelSetup>): string[] {
  return [...channels.values()]
    .map((setup) => setup.channel)
    .filter((channel) => channel.capabilities.phoneAddressed)
    .map((channel) => channel.name as string)
    .sort((a, b) => Number(b === "sms") - Number(a === "sms"));
}

export async function buildParentline(config: Config, options: BuildOptions = {}) {
  const log = options.logger ?? createLogger(config.logLevel);
  const now = options.now ?? Date.now;
  const db = options.db ?? openSqliteDatabase(config.databasePath);
  const seeded = config.demoData ? await seedDemoData(db, now()) : { seeded: false };

  const channels = new Map<string, ChannelSetup>();
  const channelStates: Record<string, string> = {};
  for (const [name, factory] of Object.entries(channelRegistry)) {
    const setup = factory({ config, log: log.child({ channel: name }), now });
    if ("off" in setup) {
      channelStates[name] = `off: ${setup.off}`;
    } else {
      channels.set(name, setup);
      channelStates[name] = "on";
    }
  }
  const secrets = createSecrets(config.appSecret);
  const metrics = createMetrics(db, { defaultMetrics: config.env !== "test" });
  const dispatcher = new OutboxDispatcher({
    db,
    channels: new Map<string, Channel>([...channels].map(([name, setup]) => [name, setup.channel])),
    secrets,
    log: log.child({ component: "outbox" }),
    now,
    pollMs: config.outboxPollMs,
    metrics,
  });
  const phoneChannels = phoneChannelOrder(channels);
  const deps: ServiceDeps = {
    db,
    secrets,
    config,
    log,
    now,
    phoneChannels: () => phoneChannels,
    metrics,
    outboxQueued: () => dispatcher.kick(),
  };
  const road = createInboundRoad(deps);
  const app = createApp({
    ...deps,
    road: { receive: road.receive, deliverNow: (ids) => dispatcher.deliverNow(ids) },
    conversations: road,
    channels,
    channelStates,
    version: VERSION,
    clientIp: (c) => {
      try {
        return getConnInfo(c).remote.address;
      } catch {
        return undefined; // no socket: an in-process request (tests)
      }
    },
  });

  return {
    app,
    db,
    dispatcher,
    road,
    channelStates,
    seeded: seeded.seeded,
    log,
    /** Starts background work (the dispatcher). */
    start() {
      dispatcher.start();
    },
    /** Finishes in-flight conversations and sends, then closes the database. */
    async stop() {
      await road.drain();
      await dispatcher.stop();
      db.$client.close();
    },
  };
}

export type Parentline = Awaited<ReturnType<typeof buildParentline>>;
