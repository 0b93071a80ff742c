// Turns Telegram on when TELEGRAM_BOT_TOKEN is set. With a public URL it takes updates by webhook
// (registered at start, checked against TELEGRAM_WEBHOOK_SECRET); without one it long-polls, so a
// developer can try a real bot from a laptop. TELEGRAM_MODE overrides the choice. The calls made
// at start (getMe, setWebhook) retry in the background: no request ever waits for them.
import type { ChannelContext, ChannelFactory, InboundRoadHandle } from "../../src/contracts";
import { createTelegramChannel } from "./adapter";
import { ALLOWED_UPDATES, createTelegramBot, grammySignal, registerWebhook } from "./client";
import { describeTelegramError, sendErrorFrom } from "./errors";
import { telegramUpdateHandler } from "./inbound";
import { type Backoff, retryInBackground, START_CALL_BACKOFF } from "./retry";
import { telegramRoutes } from "./webhook";

export const TELEGRAM_WEBHOOK_PATH = "/webhooks/telegram";

export interface TelegramSetupOptions {
  /** How getMe and setWebhook are retried while they fail (tests shorten it). */
  backoff?: Backoff;
}

/** A refusal no retry mends (a URL Telegram will not call, a 403), unlike a network failure. */
const isLastingRefusal = (error: unknown) =>
  ["rejected", "blocked"].includes(sendErrorFrom(error).failure);

export const telegramFactory: ChannelFactory = (context) => setUpTelegram(context);

export function setUpTelegram(
  { config, log, now }: ChannelContext,
  { backoff = START_CALL_BACKOFF }: TelegramSetupOptions = {},
): ReturnType<ChannelFactory> {
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
    timeoutMs: settings.timeoutMs,
    ...(settings.apiRoot ? { apiRoot: settings.apiRoot } : {}),
  });
  const channel = createTelegramChannel({
    api: bot.api,
    limits: { perSecond: settings.perSecond, perAddressPerSecond: settings.perChatPerSecond },
  });

  /** Work nobody awaits (start-time calls, answers to button presses): stop() waits for it. */
  const background = new Set<Promise<unknown>>();
  const inBackground = (task: Promise<unknown>) => {
    background.add(task);
    void task.finally(() => background.delete(task));
  };
  const stopping = new AbortController();
  const stopBackground = async () => {
    stopping.abort();
    await Promise.all(background);
  };

  let attached = false;
  /** Gives the bot its middleware once the road exists (routes in webhook mode, start in polling). */
  const attach = (road: InboundRoadHandle) => {
    if (attached) return;
    attached = true;
    bot.use(
      telegramUpdateHandler({
        road,
        log,
        defaultCountry: config.defaultCountry,
        now,
        aside: inBackground,
      }),
    );
  };

  /** Set while getMe has failed and not yet answered: /health says so. */
  let identity: string | undefined;
  /** Asks Telegram who the bot is until it answers (the token's own id stands in meanwhile). */
  const learnBotInfo = () =>
    inBackground(
      retryInBackground((signal) => bot.api.getMe(grammySignal(signal)), {
        backoff,
        signal: stopping.signal,
        failed: (error, retryInMs) => {
          identity = "bot info not loaded (getMe failing, retrying)";
          log.warn({ reason: describeTelegramError(error), retryInMs }, "telegram getMe failed");
        },
      }).then((me) => {
        if (!me) return;
        bot.botInfo = me;
        identity = undefined;
        log.info({ bot: me.username }, "telegram bot info loaded");
      }),
    );
  let state = mode === "webhook" ? "webhook not registered yet" : "polling not started";
  const currentState = () => (identity ? `${state}; ${identity}` : state);

  if (mode === "webhook" && secretToken && publicBaseUrl) {
    const url = `${publicBaseUrl.replace(/\/+$/, "")}${TELEGRAM_WEBHOOK_PATH}`;
    return {
      channels: [channel],
      routes: (road) => {
        attach(road);
        return { path: TELEGRAM_WEBHOOK_PATH, app: telegramRoutes({ bot, secretToken }) };
      },
      start() {
        learnBotInfo();
        inBackground(
          retryInBackground((signal) => registerWebhook(bot, url, secretToken, signal), {
            backoff,
            signal: stopping.signal,
            isPermanent: isLastingRefusal,
            failed: (error, retryInMs) => {
              // Not fatal: Telegram keeps whatever webhook it had meanwhile.
              state =
                retryInMs === undefined
                  ? "webhook registration failed"
                  : "webhook registration failed, retrying";
              log.error(
                { reason: describeTelegramError(error), url, retryInMs },
                "telegram webhook registration failed",
              );
            },
          }).then((registered) => {
            if (!registered) return;
            state = "webhook registered";
            log.info({ url }, "telegram webhook registered");
          }),
        );
      },
      stop: stopBackground,
      state: currentState,
    };
  }

  let polling: Promise<void> | undefined;
  return {
    channels: [channel],
    start(road) {
      attach(road);
      learnBotInfo();
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
            log.info("telegram long polling started");
          },
        })
        .catch((error: unknown) => {
          state = "polling failed";
          log.error({ reason: describeTelegramError(error) }, "telegram long polling failed");
        });
    },
    async stop() {
      if (polling) {
        try {
          if (bot.isRunning()) await bot.stop();
        } catch (error) {
          log.warn(
            { reason: describeTelegramError(error) },
            "telegram polling did not stop cleanly",
          );
        }
        await polling;
        state = "polling stopped";
      }
      await stopBackground();
    },
    state: currentState,
  };
}
