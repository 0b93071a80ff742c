// How a channel tells the outbox dispatcher why a send failed; the dispatcher decides what follows
// (retry later, wait out a rate limit, stop writing to someone who blocked us, fall back to SMS).

export type SendFailure =
  /** Network trouble or a provider 5xx: retry with backoff. */
  | "transient"
  /**
   * The provider asked us to slow down (HTTP 429, Telegram retry_after), or the channel cannot
   * send for a while (WhatsApp Web not linked): the channel pauses, the row waits, no attempt counts.
   */
  | "rate_limited"
  /** The person blocked us or opted out at the provider (Telegram 403, Twilio 21610). */
  | "blocked"
  /** Outside WhatsApp's 24-hour window with no template configured: try another channel. */
  | "outside_window"
  /** The provider refused this message for good (bad number, invalid request): no retry. */
  | "rejected";

export class ChannelSendError extends Error {
  constructor(
    readonly failure: SendFailure,
    message: string,
    readonly details: { retryAfterMs?: number; providerCode?: string } = {},
  ) {
    super(message);
    this.name = "ChannelSendError";
  }
}

/** Errors a channel did not classify are treated as transient. */
export function sendFailureOf(error: unknown): SendFailure {
  return error instanceof ChannelSendError ? error.failure : "transient";
}
