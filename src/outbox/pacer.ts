// Keeps each channel under its provider's send limits (SendLimits): a schedule of when the next
// send may go, per channel and per address. A send that would wait long is deferred instead of
// holding the dispatcher, so one slow chat never stalls the others.
import type { Channel } from "../contracts";

/**
 * Sends are spaced for 98 % of a channel's limit. Spaced at exactly the limit, a send whose timer
 * fires a few milliseconds late lands closer to the next one, and the provider, counting what
 * arrives in each second, sees one too many (bench:broadcast saw 429s that way); 2 % is 20 ms of
 * slack a second.
 */
export const PACE_MARGIN = 0.98;

export type PacingDecision = { go: true; waitMs: number } | { go: false; retryAt: number };

export class SendPacer {
  /** When the channel's next send may start. */
  private readonly channelFree = new Map<string, number>();
  /** When the next send to one address ("channel address") may start. */
  private readonly addressFree = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    /** Longer waits than this are deferred rather than slept through. */
    private readonly maxWaitMs = 1_000,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * Reserves a slot for one send costing `cost` units, or says when to try again. `maxWaitMs`
   * overrides how long the caller is willing to wait (0: only a slot free now).
   */
  take(channel: Channel, address: string, cost = 1, maxWaitMs = this.maxWaitMs): PacingDecision {
    const now = this.now();
    const { perSecond, perAddressPerSecond, jitterMs = 0 } = channel.limits;
    const addressKey = `${channel.name} ${address}`;
    const addressAt = Math.max(now, this.addressFree.get(addressKey) ?? 0);
    if (addressAt > now) return { go: false, retryAt: addressAt };
    const jitter = jitterMs > 0 ? Math.round(this.random() * jitterMs) : 0;
    const channelAt = Math.max(now, this.channelFree.get(channel.name) ?? 0) + jitter;
    if (channelAt - now > maxWaitMs + jitterMs) return { go: false, retryAt: channelAt };

    this.channelFree.set(channel.name, channelAt + (cost * 1000) / (perSecond * PACE_MARGIN));
    // A send of several messages (a long text's parts) holds the chat for each of them.
    if (perAddressPerSecond)
      this.addressFree.set(addressKey, channelAt + (cost * 1000) / perAddressPerSecond);
    this.forgetPast(now);
    return { go: true, waitMs: channelAt - now };
  }

  /** Whether a send to `address` would get a slot within `maxWaitMs`; reserves nothing. */
  hasSlotWithin(channel: Channel, address: string, maxWaitMs: number): boolean {
    const now = this.now();
    const { jitterMs = 0 } = channel.limits;
    if ((this.addressFree.get(`${channel.name} ${address}`) ?? 0) > now) return false;
    return (this.channelFree.get(channel.name) ?? 0) - now <= maxWaitMs + jitterMs;
  }

  /** The provider asked us to wait (HTTP 429 with retry-after): nothing goes on the channel until then. */
  pause(channelName: string, untilMs: number): void {
    this.channelFree.set(channelName, Math.max(untilMs, this.channelFree.get(channelName) ?? 0));
  }

  /** Drops per-address entries that no longer hold anyone back, so the map stays small. */
  private forgetPast(now: number) {
    if (this.addressFree.size < 10_000) return;
    for (const [key, at] of this.addressFree) if (at <= now) this.addressFree.delete(key);
  }
}
