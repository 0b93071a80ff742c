// Turns Telegram on when TELEGRAM_BOT_TOKEN is set. With a public URL it takes updates by webhook
// (registered at start, checked against TELEGRAM_WEBHOOK_SECRET); without one it long-polls, so a
// developer can try a real bot from a laptop. TELEGRAM_MODE overrides the choice.
import type { ChannelFactory, InboundRoadHandle } from "../../src/contracts";
import { createTelegramChannel } from "./adapter";
import { ALLOWED_UPDATES, createTelegramBot, registerWebhook } from "./client";
import { describeTelegramError } from "./errors";
import { telegramUpdateHandler } from "./inbound";
import { telegramRoutes } from "./webhook";

export const TELEGRAM_WEBHOOK_PATH = "/webhooks/telegram";

export const telegramFactory: ChannelFactory = ({ config, log, now }) => {
  const settings = config.channels.telegram;
  if (!settings.botToken) return { off: "TELEGRAM_BOT_TOKEN is not set" };
  const mode = settings.mode ?? (config.publicBaseUrl ? "webhook" : "polling");
  const secretToken = settings.webhookSecret;
  const publicBaseUrl = config.publicBaseUrl;
  if (mode === "webhook" && (!secretToken || !publicBaseUrl)) {
    const missing = [
      ...(secretToken ? [] : ["TELEGRAM_WEBHOOK_SECRET"]),
      ...(publicBaseUrl ? [] : ["PUBLIC_BASE_URL"]),
    ];
    return {
      off: `webhook mode needs ${missing.join(" and ")} (or set TELEGRAM_MODE=polling)`,
    };
  }

  const bot = createTelegramBot({
    token: settings.botToken,
    ...(settings.apiRoot ? { apiRoot: settings.apiRoot } : {}),
  });
  const channel = createTelegramChannel({
    api: bot.api,
    limits: { perSecond: settings.perSecond, perAddressPerSecond: settings.perChatPerSecond },
  });
  let attached = false;
  /** Gives the bot its middleware once the road exists (routes in webhook mode, start in polling). */
  const attach = (road: InboundRoadHandle) => {
    if (attached) return;
    attached = true;
    bot.use(telegramUpdateHandler({ road, log, defaultCountry: config.defaultCountry, now }));
  };
  let state = mode === "webhook" ? "webhook not registered yet" : "polling not started";

  if (mode === "webhook" && secretToken && publicBaseUrl) {
    const url = `${publicBaseUrl.replace(/\/+$/, "")}${TELEGRAM_WEBHOOK_PATH}`;
    return {
      channels: [channel],
      routes: (road) => {
        attach(road);
        return { path: TELEGRAM_WEBHOOK_PATH, app: telegramRoutes({ bot, secretToken }) };
      },
      async start() {
        try {
          await registerWebhook(bot, url, secretToken);
          state = "webhook registered";
          log.info({ url }, "telegram webhook registered");
        } catch (error) {
          // Not fatal: Telegram keeps whatever webhook it had, and a restart tries again.
          state = "webhook registration failed";
          log.error(
            { reason: describeTelegramError(error), url },
            "telegram webhook registration failed",
          );
        }
      },
      state: () => state,
    };
  }

  let polling: Promise<void> | undefined;
  return {
    channels: [channel],
    start(road) {
      attach(road);
      // Polling survives a failing update: log it and go on (grammY would stop otherwise).
      bot.catch((error) => {
        log.error(
          { reason: describeTelegramError(error.error), updateId: error.ctx.update.update_id },
          "telegram update failed",
        );
      });
      state = "polling starting";
      // bot.start resolves only when polling stops, so it runs in the background.
      polling = bot
        .start({
          allowed_updates: [...ALLOWED_UPDATES],
          onStart: () => {
            state = "polling";
            log.info({ bot: bot.botInfo.username }, "telegram long polling started");
          },
        })
        .catch((error: unknown) => {
          state = "polling failed";
          log.error({ reason: describeTelegramError(error) }, "telegram long polling failed");
        });
    },
    async stop() {
      if (!polling) return;
      try {
        if (bot.isRunning()) await bot.stop();
      } catch (error) {
        log.warn({ reason: describeTelegramError(error) }, "telegram polling did not stop cleanly");
      }
      await polling;
      state = "polling stopped";
    },
    state: () => state,
  };
};
