// The Telegram client: one grammY Bot per process (its Api sends; its middleware takes updates from
// the webhook or from long polling). The only module that talks to the Bot API.
import { Bot, type Transformer } from "grammy";
import type { UserFromGetMe } from "grammy/types";

/** The updates Parentline handles; setWebhook and getUpdates are told so Telegram sends no others. */
export const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"] as const;

/** How long getUpdates holds a long poll open when no update comes (grammY's default). */
const LONG_POLL_SECONDS = 30;

export interface TelegramClientOptions {
  token: string;
  /** A self-hosted Bot API server (TELEGRAM_API_ROOT); https://api.telegram.org otherwise. */
  apiRoot?: string;
  /** The longest one call may take (TELEGRAM_TIMEOUT_MS); a long poll gets its own wait on top. */
  timeoutMs: number;
}

/**
 * What the token itself says about the bot (a token is "<bot id>:<secret>"), standing in for
 * getMe's answer until it comes. grammY's webhook handler otherwise calls getMe before anything
 * else, the secret check included, and retries it for as long as the Bot API is down; nothing
 * Parentline does with an update reads more than the id (commands are matched without @username).
 */
export function botInfoFromToken(token: string): UserFromGetMe {
  return {
    id: Number(token.split(":")[0]),
    is_bot: true,
    first_name: "",
    username: "",
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
}

/** grammY types its signals with the abort-controller package's class; Node's own work the same. */
type GrammySignal = NonNullable<Parameters<Bot["api"]["getMe"]>[0]>;
export const grammySignal = (signal: AbortSignal) => signal as unknown as GrammySignal;

/**
 * Gives every call but getUpdates its own deadline: a silent Bot API then fails a send (which the
 * outbox retries) instead of holding it, and getUpdates keeps the client's longer one for its poll.
 * The deadline is a timer of our own rather than AbortSignal.any(…, AbortSignal.timeout()): the
 * combined signal holds its sources weakly, and a timeout signal nothing else holds can be
 * collected before it fires (seen in a running server: no getMe gave up within 5 s of a 500 ms
 * deadline).
 */
function deadlinePerCall(timeoutMs: number): Transformer {
  return async (prev, method, payload, signal) => {
    if (method === "getUpdates") return prev(method, payload, signal);
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const stop = () => deadline.abort();
    if (signal?.aborted) stop();
    signal?.addEventListener("abort", stop);
    try {
      return await prev(method, payload, grammySignal(deadline.signal));
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", stop);
    }
  };
}

export function createTelegramBot({ token, apiRoot, timeoutMs }: TelegramClientOptions): Bot {
  const bot = new Bot(token, {
    botInfo: botInfoFromToken(token),
    client: {
      timeoutSeconds: LONG_POLL_SECONDS + timeoutMs / 1_000,
      ...(apiRoot ? { apiRoot } : {}),
    },
  });
  bot.api.config.use(deadlinePerCall(timeoutMs));
  return bot;
}

/** Points Telegram at our webhook, with the secret it must send back on every update. */
export function registerWebhook(
  bot: Bot,
  url: string,
  secretToken: string,
  signal: AbortSignal,
): Promise<true> {
  return bot.api.setWebhook(
    url,
    { secret_token: secretToken, allowed_updates: [...ALLOWED_UPDATES] },
    grammySignal(signal),
  );
}
