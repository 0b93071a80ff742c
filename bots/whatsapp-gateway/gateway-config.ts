// The gateway's variables (npm run whatsapp-gateway), parsed with zod like Parentline's own; the
// WhatsApp Web ones (data dir, Chromium, country) mean what they mean for an in-process session.
import { z } from "zod";
import type { GatewaySettings } from "./gateway";

const gatewayEnvironment = z.object({
  PARENTLINE_URL: z.url(),
  WHATSAPP_GATEWAY_SECRET: z.string().min(32, "must be at least 32 characters"),
  WHATSAPP_GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(8790),
  WHATSAPP_GATEWAY_HOST: z.string().min(1).default("0.0.0.0"),
  DEFAULT_COUNTRY: z
    .string()
    .regex(/^[A-Z]{2}$/, "must be a two-letter ISO country code such as US")
    .default("US"),
  WHATSAPP_WEB_DATA_DIR: z.string().min(1).default("./data/whatsapp-web"),
  CHROMIUM_PATH: z.string().min(1).default("/usr/bin/chromium"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export interface GatewayConfig {
  settings: GatewaySettings;
  port: number;
  host: string;
  logLevel: string;
}

/** The gateway's config, or the problems that stop its start, each naming its variable. */
export function parseGatewayConfig(
  source: Record<string, string | undefined>,
): { ok: true; config: GatewayConfig } | { ok: false; problems: string[] } {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const parsed = gatewayEnvironment.safeParse(present);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    };
  const vars = parsed.data;
  return {
    ok: true,
    config: {
      settings: {
        parentlineUrl: vars.PARENTLINE_URL,
        secret: vars.WHATSAPP_GATEWAY_SECRET,
        defaultCountry: vars.DEFAULT_COUNTRY,
        dataDir: vars.WHATSAPP_WEB_DATA_DIR,
        chromiumPath: vars.CHROMIUM_PATH,
      },
      port: vars.WHATSAPP_GATEWAY_PORT,
      host: vars.WHATSAPP_GATEWAY_HOST,
      logLevel: vars.LOG_LEVEL,
    },
  };
}
