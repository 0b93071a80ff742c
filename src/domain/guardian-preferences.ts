// A guardian's notification preferences and the channel an announcement takes to them (pure).
import { z } from "zod";

export const announcementModes = ["instant", "digest", "off"] as const;
export type AnnouncementMode = (typeof announcementModes)[number];

export interface GuardianPreferences {
  /** Channels in the order the guardian wants them tried; empty: the most recently verified first. */
  channelOrder: string[];
  /** How announcements reach them: each at once, one daily digest, or not at all (urgent ones do). */
  announcements: AnnouncementMode;
}

export const DEFAULT_PREFERENCES: GuardianPreferences = {
  channelOrder: [],
  announcements: "instant",
};

const storedPreferences = z.object({
  channelOrder: z.array(z.string()).catch([]),
  announcements: z.enum(announcementModes).catch("instant"),
});

/**
 * The preferences stored in guardians.preferences, with the defaults for anything missing or
 * unreadable (the column may also hold keys other features own; they are left alone).
 */
export function preferencesFromJson(stored: Record<string, unknown>): GuardianPreferences {
  if (stored.channelOrder === undefined && stored.announcements === undefined)
    return DEFAULT_PREFERENCES;
  const parsed = storedPreferences.safeParse({
    channelOrder: stored.channelOrder ?? [],
    announcements: stored.announcements ?? "instant",
  });
  return parsed.success ? parsed.data : DEFAULT_PREFERENCES;
}

/** How one announcement reaches a guardian: urgent ones go at once whatever they chose. */
export function deliveryModeFor(prefs: GuardianPreferences, urgent: boolean): AnnouncementMode {
  return urgent ? "instant" : prefs.announcements;
}

/**
 * The guardian's channels in the order messages try them, as chooseAddress ranks them: the ones
 * they listed in their order, then the others, most recently verified first. Each channel once.
 */
export function orderChannels(
  channels: readonly { channel: string; verifiedAt: number }[],
  channelOrder: readonly string[],
): string[] {
  const rank = (channel: string) => {
    const at = channelOrder.indexOf(channel);
    return at === -1 ? channelOrder.length : at;
  };
  const sorted = [...channels].sort(
    (a, b) => rank(a.channel) - rank(b.channel) || b.verifiedAt - a.verifiedAt,
  );
  return [...new Set(sorted.map((entry) => entry.channel))];
}

/**
 * The channel order after the guardian chose `first`: it leads, the channels they are on keep
 * their order after it, and channels listed before that they are not on now go last, in order.
 */
export function channelOrderWithFirst(
  first: string,
  current: readonly string[],
  channelOrder: readonly string[],
): string[] {
  return [...new Set([first, ...current, ...channelOrder])];
}

/** A verified chat address of a guardian. */
export interface GuardianAddress {
  channel: string;
  address: string;
  verifiedAt: number;
  optedOut: boolean;
}

export type ChannelChoice =
  | { ok: true; channel: string; address: string }
  | { ok: false; reason: "no_channel" | "opted_out" };

/**
 * The address an announcement goes to: in the guardian's channel order (channels they did not
 * list come after, most recently verified first), the first that has not opted out.
 */
export function chooseAddress(
  addresses: readonly GuardianAddress[],
  channelOrder: readonly string[],
): ChannelChoice {
  if (addresses.length === 0) return { ok: false, reason: "no_channel" };
  const [only] = addresses;
  if (addresses.length === 1 && only)
    return only.optedOut
      ? { ok: false, reason: "opted_out" }
      : { ok: true, channel: only.channel, address: only.address };
  const rank = (channel: string) => {
    const at = channelOrder.indexOf(channel);
    return at === -1 ? channelOrder.length : at;
  };
  let best: GuardianAddress | undefined;
  for (const candidate of addresses) {
    if (candidate.optedOut) continue;
    if (
      !best ||
      rank(candidate.channel) < rank(best.channel) ||
      (rank(candidate.channel) === rank(best.channel) && candidate.verifiedAt > best.verifiedAt)
    )
      best = candidate;
  }
  return best
    ? { ok: true, channel: best.channel, address: best.address }
    : { ok: false, reason: "opted_out" };
}
