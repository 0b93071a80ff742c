// The Channel contract. How to add a new one: create bots/<folder>/ with adapter.ts (this
// interface), parse.ts, render.ts, client.ts (the only IO), webhook.ts and setup.ts (the factory),
// add its names to ChannelName, and add one line to the registry in bots/index.ts.
import type { Hono, MiddlewareHandler } from "hono";
import type { Config } from "../config";
import type { AppEnv } from "../http/app-env";
import type { Logger } from "../logger";
import type {
  ChannelName,
  Contact,
  DeliveryReceipt,
  InboundMessage,
  OutboundMessage,
  SendReceipt,
} from "./messages";

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
  /**
   * STOP/START keywords opt a number out and back in (carrier rules for SMS, kept on Twilio's
   * WhatsApp too); the inbound road answers them before any conversation sees them.
   */
  carrierKeywords: boolean;
  /**
   * Free-form messages may only go this long after the person's last message (WhatsApp's 24-hour
   * window); the dispatcher then tells send() when that was.
   */
  customerServiceWindowMs?: number;
}

/** How fast a channel may send; the dispatcher keeps to it (one place per channel, from config). */
export interface SendLimits {
  /** Sends (or cost units, see Channel.sendCost) per second across the channel. */
  perSecond: number;
  /** Sends (or cost units) per second to any one address (Telegram: one a second per chat). */
  perAddressPerSecond?: number;
  /** A random extra wait of up to this many ms before each send (WhatsApp Web pacing). */
  jitterMs?: number;
}

/**
 * A webhook that can carry replies in its own HTTP response (Twilio's TwiML). The step's replies
 * to the sender are then recorded as sent in the step's own write and come back in the outcome.
 */
export interface InlineReply {
  /** Whether the webhook still waits for the step (its budget has not run out); asked at the write. */
  waiting(): boolean;
}

/** What a channel may do with the inbound road and the outbox. */
export interface InboundRoadHandle {
  /**
   * Handles one normalized message; a replay is acknowledged with `accepted: false`. With
   * `inline`, replies that can go in the webhook's response are recorded as sent as they are
   * written and returned in the outcome: only rows to the sender, not behind an earlier unsent
   * message to them, and not to an address that opted out (an opt-out confirmation excepted). The
   * rest are left to the dispatcher.
   */
  receive(message: InboundMessage, inline?: InlineReply): Promise<InboundOutcome>;
  /** Sends queued replies at once through the channel's API (the dispatcher's path, sooner). */
  deliverNow(outboxIds: number[]): Promise<void>;
  /**
   * Starts deliverNow without waiting for it, for a webhook that acknowledges its provider first;
   * a failure is logged and the rows stay for the dispatcher's loop.
   */
  deliverSoon(outboxIds: number[]): void;
  /** Moves an outbox row along a provider's receipt; never backwards. False if no row matched. */
  recordReceipt(receipt: DeliveryReceipt): Promise<boolean>;
  /** Records that an address blocked us or opted out at the provider (or came back). */
  setOptedOut(contact: Contact, optedOut: boolean, reason: string): Promise<void>;
}

export interface InboundOutcome {
  /** False when the message was a replay of one already handled. */
  accepted: boolean;
  outboxIds: number[];
  /** Replies taken for the webhook's own response (recorded as sent), when it asked for them. */
  inlineReplies?: OutboundMessage[];
}

export interface Channel {
  readonly name: ChannelName;
  readonly capabilities: ChannelCapabilities;
  readonly limits: SendLimits;
  /**
   * What one send costs against limits.perSecond, and perAddressPerSecond: the provider's messages
   * it makes (a long text's parts; SMS: its segments); 1 when absent.
   */
  sendCost?(message: OutboundMessage): number;
  /**
   * The provider requests one send makes (each a subrequest on Workers, which caps them per
   * invocation): a long text's parts still to go; 1 when absent.
   */
  requestsFor?(message: OutboundMessage): number;
  /** Sends one message through the provider; throws ChannelSendError to say why it failed. */
  send(message: OutboundMessage): Promise<SendReceipt>;
}

/** What a channel factory is given at start. */
export interface ChannelContext {
  config: Config;
  log: Logger;
  now: () => number;
  /** Middleware admitting signed-in staff (sets c.get("staff")), for a channel's admin pages. */
  requireStaff: MiddlewareHandler<AppEnv>;
}

/** A bots/ folder that is on: its channels, and what it mounts and runs. */
export interface ChannelSetup {
  channels: Channel[];
  /** HTTP routes (webhooks, dev pages) mounted under `path`. */
  routes?: (road: InboundRoadHandle) => { path: string; app: Hono<AppEnv> };
  /** Background work started with the server (webhook registration, polling, a chat client). */
  start?: (road: InboundRoadHandle) => Promise<void> | void;
  /** Stops background work; runs before the database closes. */
  stop?: () => Promise<void> | void;
  /** A live state for /health when "on" is not the whole story ("waiting for QR scan"). */
  state?: () => string;
}

/** Builds the channel from config, or says why it is off (missing credentials, disabled). */
export type ChannelFactory = (context: ChannelContext) => ChannelSetup | { off: string };

/** bots/ folder name → its factory. */
export type ChannelRegistry = Record<string, ChannelFactory>;
