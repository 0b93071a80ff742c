// Bot API calls made at start (getMe, setWebhook) retried in the background with exponential
// backoff until they work, give up for good, or the channel stops: a Bot API that is down when the
// server starts is caught up with once it is back, without holding the start or any request.
import { setTimeout as sleep } from "node:timers/promises";

export interface Backoff {
  /** The wait after the first failure; each further failure doubles it. */
  firstMs: number;
  /** The longest wait between two tries. */
  maxMs: number;
}

/** One second, doubling up to five minutes: a blip is caught up with fast, an outage is not hammered. */
export const START_CALL_BACKOFF: Backoff = { firstMs: 1_000, maxMs: 300_000 };

export interface RetryOptions {
  backoff: Backoff;
  /** Aborted when the channel stops: the wait ends and nothing more is tried. */
  signal: AbortSignal;
  /** A failure no retry can mend (a refused webhook URL): stop trying. */
  isPermanent?: (error: unknown) => boolean;
  /** Told of each failure, and of the wait before the next try (undefined: no more tries). */
  failed: (error: unknown, retryInMs: number | undefined) => void;
}

/** Runs `call` until it resolves; undefined when it failed for good or the channel stopped. */
export async function retryInBackground<T>(
  call: (signal: AbortSignal) => Promise<T>,
  { backoff, signal, isPermanent = () => false, failed }: RetryOptions,
): Promise<T | undefined> {
  for (let wait = backoff.firstMs; !signal.aborted; wait = Math.min(wait * 2, backoff.maxMs)) {
    try {
      return await call(signal);
    } catch (error) {
      if (signal.aborted) return undefined;
      if (isPermanent(error)) {
        failed(error, undefined);
        return undefined;
      }
      failed(error, wait);
      try {
        await sleep(wait, undefined, { signal });
      } catch {
        return undefined; // stopped while waiting
      }
    }
  }
  return undefined;
}
