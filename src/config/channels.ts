// The providers' variables. A channel is on when its credentials are set (WhatsApp Web: when
// WHATSAPP_WEB_ENABLED=1); each bots/<channel>/setup.ts says which are missing when it is off.
// Send limits default to the providers' published limits and can be lowered or raised here.
import { z } from "zod";
import { flag } from "./flag";

const text = z.string().min(1);
const perSecond = z.coerce.number().positive();
const milliseconds = z.coerce.number().int().min(0);
/**
 * How long one call to a provider's API may take before it counts as a network failure (retried
 * later): short enough that the dispatcher never waits long on a provider that went silent.
 */
const apiTimeout = z.coerce.number().int().min(1).optional();
/** The API timeout when none is set: 10 s, or half the outbox lease when that is shorter. */
const DEFAULT_API_TIMEOUT_MS = 10_000;

export const channelVariables = {
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC\w+$/, "must start with AC")
    .optional(),
  TWILIO_AUTH_TOKEN: text.optional(),
  TWILIO_FROM: z
    .string()
    .regex(/^\+\d{6,15}$/, "must be an E.164 number such as +14155550100")
    .optional(),
  TWILIO_MESSAGING_SERVICE_SID: z
    .string()
    .regex(/^MG\w+$/, "must start with MG")
    .optional(),
  TWILIO_WHATSAPP_FROM: z
    .string()
    .regex(/^(whatsapp:)?\+\d{6,15}$/, "must be an E.164 number such as +14155550100")
    .optional(),
  /** Twilio long codes send about one SMS segment per second. */
  TWILIO_SMS_SEGMENTS_PER_SECOND: perSecond.default(1),
  TWILIO_WHATSAPP_PER_SECOND: perSecond.default(80),
  TWILIO_API_BASE: z.url().optional(),
  TWILIO_TIMEOUT_MS: apiTimeout,

  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[\w-]+$/, "must look like 123456:ABC-DEF…")
    .optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, "1–256 characters A-Z, a-z, 0-9, _ and -")
    .optional(),
  TELEGRAM_MODE: z.enum(["webhook", "polling"]).optional(),
  TELEGRAM_API_ROOT: z.url().optional(),
  TELEGRAM_TIMEOUT_MS: apiTimeout,
  /** Telegram: about 30 messages a second overall, and one a second in any one chat. */
  TELEGRAM_PER_SECOND: perSecond.default(30),
  TELEGRAM_PER_CHAT_PER_SECOND: perSecond.default(1),

  WHATSAPP_WEB_ENABLED: flag.optional(),
  WHATSAPP_WEB_DATA_DIR: text.default("./data/whatsapp-web"),
  CHROMIUM_PATH: text.default("/usr/bin/chromium"),
  /** WhatsApp bans numbers that blast: one message every interval, plus up to the jitter. */
  WHATSAPP_WEB_SEND_INTERVAL_MS: milliseconds.default(2000),
  WHATSAPP_WEB_SEND_JITTER_MS: milliseconds.default(1500),
  /** The WhatsApp Web gateway (npm run whatsapp-gateway) this runtime sends through. */
  WHATSAPP_GATEWAY_URL: z.url().optional(),
  /** Signs both ways between the runtime and the gateway (HMAC-SHA256). */
  WHATSAPP_GATEWAY_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  WHATSAPP_GATEWAY_TIMEOUT_MS: apiTimeout,

  WHATSAPP_CLOUD_TOKEN: text.optional(),
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: z.string().regex(/^\d+$/, "must be digits").optional(),
  WHATSAPP_CLOUD_APP_SECRET: text.optional(),
  WHATSAPP_CLOUD_VERIFY_TOKEN: text.optional(),
  /** An approved template, as name or name:language (default language en_US). */
  WHATSAPP_CLOUD_TEMPLATE: text.optional(),
  WHATSAPP_CLOUD_API_BASE: z.url().default("https://graph.facebook.com/v21.0"),
  WHATSAPP_CLOUD_TIMEOUT_MS: apiTimeout,
  /** WhatsApp Cloud API: 80 messages a second per business phone number by default. */
  WHATSAPP_CLOUD_PER_SECOND: perSecond.default(80),
};

const channelsSchema = z.object(channelVariables);
type ChannelVariables = z.output<typeof channelsSchema>;

export interface ChannelsConfig {
  twilio: {
    accountSid?: string;
    authToken?: string;
    from?: string;
    messagingServiceSid?: string;
    whatsappFrom?: string;
    smsSegmentsPerSecond: number;
    whatsappPerSecond: number;
    /** Where the twilio client sends API calls (tests, a regional edge); Twilio's default if unset. */
    apiBase?: string;
    /** The longest one API call may take (TWILIO_TIMEOUT_MS). */
    timeoutMs: number;
  };
  telegram: {
    botToken?: string;
    webhookSecret?: string;
    /** Webhook when PUBLIC_BASE_URL is set, long polling otherwise, unless set explicitly. */
    mode?: "webhook" | "polling";
    apiRoot?: string;
    perSecond: number;
    perChatPerSecond: number;
    /** The longest one Bot API call may take, long polling's wait aside (TELEGRAM_TIMEOUT_MS). */
    timeoutMs: number;
  };
  whatsappWeb: {
    enabled: boolean;
    dataDir: string;
    chromiumPath: string;
    sendIntervalMs: number;
    sendJitterMs: number;
  };
  whatsappGateway: {
    url?: string;
    secret?: string;
    /** The longest one call to the gateway's /send may take (WHATSAPP_GATEWAY_TIMEOUT_MS). */
    timeoutMs: number;
  };
  whatsappCloud: {
    token?: string;
    phoneNumberId?: string;
    appSecret?: string;
    verifyToken?: string;
    template?: string;
    apiBase: string;
    perSecond: number;
    /** The longest one Graph API call may take (WHATSAPP_CLOUD_TIMEOUT_MS). */
    timeoutMs: number;
  };
}

/** Drops the keys whose value is undefined (the config type uses optional properties). */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** OUTBOX_LEASE_MS sets the API timeout of a provider whose *_TIMEOUT_MS is not set. */
export function channelsConfigFrom(
  vars: ChannelVariables & { OUTBOX_LEASE_MS: number },
): ChannelsConfig {
  const defaultTimeoutMs = Math.min(DEFAULT_API_TIMEOUT_MS, Math.floor(vars.OUTBOX_LEASE_MS / 2));
  return {
    twilio: defined({
      accountSid: vars.TWILIO_ACCOUNT_SID,
      authToken: vars.TWILIO_AUTH_TOKEN,
      from: vars.TWILIO_FROM,
      messagingServiceSid: vars.TWILIO_MESSAGING_SERVICE_SID,
      whatsappFrom: vars.TWILIO_WHATSAPP_FROM,
      smsSegmentsPerSecond: vars.TWILIO_SMS_SEGMENTS_PER_SECOND,
      whatsappPerSecond: vars.TWILIO_WHATSAPP_PER_SECOND,
      apiBase: vars.TWILIO_API_BASE,
      timeoutMs: vars.TWILIO_TIMEOUT_MS ?? defaultTimeoutMs,
    }),
    telegram: defined({
      botToken: vars.TELEGRAM_BOT_TOKEN,
      webhookSecret: vars.TELEGRAM_WEBHOOK_SECRET,
      mode: vars.TELEGRAM_MODE,
      apiRoot: vars.TELEGRAM_API_ROOT,
      perSecond: vars.TELEGRAM_PER_SECOND,
      perChatPerSecond: vars.TELEGRAM_PER_CHAT_PER_SECOND,
      timeoutMs: vars.TELEGRAM_TIMEOUT_MS ?? defaultTimeoutMs,
    }),
    whatsappWeb: {
      enabled: vars.WHATSAPP_WEB_ENABLED ?? false,
      dataDir: vars.WHATSAPP_WEB_DATA_DIR,
      chromiumPath: vars.CHROMIUM_PATH,
      sendIntervalMs: vars.WHATSAPP_WEB_SEND_INTERVAL_MS,
      sendJitterMs: vars.WHATSAPP_WEB_SEND_JITTER_MS,
    },
    whatsappGateway: defined({
      url: vars.WHATSAPP_GATEWAY_URL,
      secret: vars.WHATSAPP_GATEWAY_SECRET,
      timeoutMs: vars.WHATSAPP_GATEWAY_TIMEOUT_MS ?? defaultTimeoutMs,
    }),
    whatsappCloud: defined({
      token: vars.WHATSAPP_CLOUD_TOKEN,
      phoneNumberId: vars.WHATSAPP_CLOUD_PHONE_NUMBER_ID,
      appSecret: vars.WHATSAPP_CLOUD_APP_SECRET,
      verifyToken: vars.WHATSAPP_CLOUD_VERIFY_TOKEN,
      template: vars.WHATSAPP_CLOUD_TEMPLATE,
      apiBase: vars.WHATSAPP_CLOUD_API_BASE,
      perSecond: vars.WHATSAPP_CLOUD_PER_SECOND,
      timeoutMs: vars.WHATSAPP_CLOUD_TIMEOUT_MS ?? defaultTimeoutMs,
    }),
  };
}
