// The Channel contract. How to add a new one: create bots/<name>/ with adapter.ts (this interface),
// parse.ts, render.ts, client.ts (the only IO) and webhook.ts, add the name to ChannelName, and
// add one line to the registry in bots/index.ts.
import type { Hono } from "hono";
import type { Config } from "../config";
import type { AppEnv } from "../http/app-env";
import type { Logger } from "../logger";
import type { ChannelName, InboundMessage, OutboundMessage, SendReceipt } from "./messages";

export interface ChannelCapabilities {
  /** Options can be shown as tappable buttons (otherwise they are numbered lines). */
  buttons: boolean;
  /** The provider reports when a message was read. */
  readReceipts: boolean;
  /** A reply can ride in the webhook's HTTP response. */
  inlineReply: boolean;
  /** Addresses are phone numbers, so the channel can reach a phone on file (SMS, WhatsApp). */
  phoneAddressed: boolean;
  /** The longest text one message may carry; longer texts are split. */
  maxTextLength: number;
}

/** What a channel's webhook may do with the inbound road. */
export interface InboundRoadHandle {
  /** Handles one normalized message; a replay is acknowledged with `accepted: false`. */
  receive(message: InboundMessage): Promise<InboundOutcome>;
  /** Sends queued replies at once (for channels that answer inline); they stay recorded. */
  deliverNow(outboxIds: number[]): Promise<void>;
}

export interface InboundOutcome {
  /** False when the message was a replay of one already handled. */
  accepted: boolean;
  outboxIds: number[];
}

export interface Channel {
  readonly name: InboundMessage["channel"];
  readonly capabilities: ChannelCapabilities;
  /** Sends one message through the provider; throws ChannelApiError or NetworkError on failure. */
  send(message: OutboundMessage): Promise<SendReceipt>;
}

/** What a channel factory is given at start. */
export interface ChannelContext {
  config: Config;
  log: Logger;
  now: () => number;
}

/** A channel that is on, and the HTTP routes it mounts (webhooks, dev pages) under `path`. */
export interface ChannelSetup {
  channel: Channel;
  routes?: (road: InboundRoadHandle) => { path: string; app: Hono<AppEnv> };
}

/** Builds the channel from config, or says why it is off (missing credentials, disabled). */
export type ChannelFactory = (context: ChannelContext) => ChannelSetup | { off: string };

export type ChannelRegistry = Record<ChannelName, ChannelFactory>;
