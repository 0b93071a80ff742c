// Telegram's refusals → the outbox's vocabulary (pure). The Bot API answers with error_code and a
// description; only 429 carries parameters.retry_after. https://core.telegram.org/bots/api#making-requests
import { GrammyError, HttpError } from "grammy";
import { ChannelSendError } from "../../src/contracts";

/** When Telegram asks us to slow down without saying for how long. */
const DEFAULT_RETRY_AFTER_MS = 1_000;

export function sendErrorFrom(error: unknown): ChannelSendError {
  if (error instanceof ChannelSendError) return error;
  if (error instanceof HttpError) {
    return new ChannelSendError("transient", `Telegram unreachable: ${error.message}`);
  }
  if (!(error instanceof GrammyError)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new ChannelSendError("transient", `Telegram send failed: ${reason}`);
  }
  const code = error.error_code;
  const details = { providerCode: String(code) };
  const reason = `Telegram ${error.method}: ${code} ${error.description}`;
  if (code === 429) {
    const seconds = error.parameters.retry_after;
    return new ChannelSendError("rate_limited", reason, {
      ...details,
      retryAfterMs: typeof seconds === "number" ? seconds * 1_000 : DEFAULT_RETRY_AFTER_MS,
    });
  }
  // "bot was blocked by the user", "user is deactivated", "bot was kicked": this chat is closed to
  // us until the person comes back (a my_chat_member "member" update opts them in again).
  if (code === 403) return new ChannelSendError("blocked", reason, details);
  // 401/404 mean the token itself is wrong: a configuration fault, so retry (and stay visible)
  // rather than park every message as if each were bad.
  if (code === 401 || code === 404 || code >= 500)
    return new ChannelSendError("transient", reason, details);
  return new ChannelSendError("rejected", reason, details);
}

/**
 * A failure as a log line: grammY's own messages never carry the token, but the network error they
 * wrap may hold the request URL, which does, so only the message is logged.
 */
export function describeTelegramError(error: unknown): string {
  if (error instanceof GrammyError)
    return `${error.method}: ${error.error_code} ${error.description}`;
  return error instanceof Error ? error.message : String(error);
}
