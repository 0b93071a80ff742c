// Parses the environment once, with zod, into the typed Config every other module receives.
import { z } from "zod";
import { type ChannelsConfig, channelsConfigFrom, channelVariables } from "./channels";
import { flag } from "./flag";

/** A development-only secret so `npm start` works with no setup; production must set its own. */
const DEVELOPMENT_SECRET = "parentline-development-secret-not-for-production";

const environment = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_PATH: z.string().min(1).default("./data/parentline.db"),
  APP_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  SIMULATOR: flag.optional(),
  DEMO_DATA: flag.optional(),
  DEFAULT_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/, "must be a two-letter ISO country code such as US")
    .default("US"),
  PUBLIC_BASE_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TRUST_PROXY: flag.optional(),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(250),
  OUTBOX_LEASE_MS: z.coerce.number().int().min(1000).default(30_000),
  OUTBOX_SENDS_PER_RUN: z.coerce.number().int().min(1).optional(),
  VERIFICATION_TTL_DAYS: z.coerce.number().int().min(1).default(180),
  CONVERSATION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_INTERVAL_HOURS: z.coerce
    .number()
    .min(1 / 60, "must be at least a minute (1/60)")
    .max(168)
    .default(24),
  BACKUP_KEEP: z.coerce.number().int().min(1).default(7),
  ...channelVariables,
});

/** Every variable Parentline reads (each documented in .env.example and the README). */
export const CONFIG_VARIABLES = Object.keys(environment.shape);

/** The variables as the process environment holds them. */
export type Environment = Partial<Record<keyof z.input<typeof environment>, string>>;

export interface Config {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  databasePath: string;
  appSecret: string;
  /** True when APP_SECRET was not set and the development secret is in use. */
  usingDevelopmentSecret: boolean;
  simulatorEnabled: boolean;
  demoData: boolean;
  defaultCountry: string;
  publicBaseUrl: string | undefined;
  logLevel: string;
  /** Take the client's IP from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy: boolean;
  outboxPollMs: number;
  /** How long a claimed outbox row stays claimed; a crashed dispatcher's rows come back after it. */
  outboxLeaseMs: number;
  /**
   * The provider requests one dispatcher run may make (a Worker's subrequests per invocation);
   * undefined, no limit.
   */
  outboxSendsPerRun: number | undefined;
  verificationTtlDays: number;
  /** After this much silence a half-finished conversation starts again at the menu. */
  conversationIdleMinutes: number;
  /** The bearer token GET /metrics asks for; unset, /metrics is open except in production. */
  metricsToken: string | undefined;
  /** Rotating online backups of the database: where, how often, how many are kept. */
  backups: { dir: string; intervalHours: number; keep: number } | undefined;
  /** Each provider's credentials and send limits; a channel without its credentials is off. */
  channels: ChannelsConfig;
  /** The tenant this core serves on Workers (a Durable Object each); unset on Node's one process. */
  tenant?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * A send still waiting for its provider when its lease runs out could be claimed again and sent
 * twice, so no provider call may outlast the lease: a timeout set that long is refused, and an
 * unset one defaults to at most half the lease.
 */
function apiTimeoutsOutsideLease(vars: z.output<typeof environment>): string[] {
  const timeouts = {
    TWILIO_TIMEOUT_MS: vars.TWILIO_TIMEOUT_MS,
    TELEGRAM_TIMEOUT_MS: vars.TELEGRAM_TIMEOUT_MS,
    WHATSAPP_CLOUD_TIMEOUT_MS: vars.WHATSAPP_CLOUD_TIMEOUT_MS,
    WHATSAPP_GATEWAY_TIMEOUT_MS: vars.WHATSAPP_GATEWAY_TIMEOUT_MS,
  };
  return Object.entries(timeouts)
    .filter(([, ms]) => ms !== undefined && ms >= vars.OUTBOX_LEASE_MS)
    .map(
      ([name]) =>
        `${name}: must be shorter than OUTBOX_LEASE_MS (${vars.OUTBOX_LEASE_MS}), or a send still waiting for the provider could be sent twice`,
    );
}

/** Reads the variables Parentline knows (see .env.example); unknown ones are ignored. */
export function parseConfig(source: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const parsed = environment.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  }
  const vars = parsed.data;
  const timeoutProblems = apiTimeoutsOutsideLease(vars);
  if (timeoutProblems.length > 0) throw new ConfigError(timeoutProblems);
  const production = vars.NODE_ENV === "production";
  if (production && !vars.APP_SECRET) {
    throw new ConfigError(["APP_SECRET: required when NODE_ENV=production"]);
  }
  return {
    env: vars.NODE_ENV,
    port: vars.PORT,
    host: vars.HOST,
    databasePath: vars.DATABASE_PATH,
    appSecret: vars.APP_SECRET ?? DEVELOPMENT_SECRET,
    usingDevelopmentSecret: !vars.APP_SECRET,
    simulatorEnabled: vars.SIMULATOR ?? !production,
    demoData: vars.DEMO_DATA ?? !production,
    defaultCountry: vars.DEFAULT_COUNTRY,
    publicBaseUrl: vars.PUBLIC_BASE_URL,
    logLevel: vars.LOG_LEVEL,
    trustProxy: vars.TRUST_PROXY ?? false,
    outboxPollMs: vars.OUTBOX_POLL_MS,
    outboxLeaseMs: vars.OUTBOX_LEASE_MS,
    outboxSendsPerRun: vars.OUTBOX_SENDS_PER_RUN,
    verificationTtlDays: vars.VERIFICATION_TTL_DAYS,
    conversationIdleMinutes: vars.CONVERSATION_IDLE_MINUTES,
    metricsToken: vars.METRICS_TOKEN,
    backups: vars.BACKUP_DIR
      ? { dir: vars.BACKUP_DIR, intervalHours: vars.BACKUP_INTERVAL_HOURS, keep: vars.BACKUP_KEEP }
      : undefined,
    channels: channelsConfigFrom(vars),
  };
}
