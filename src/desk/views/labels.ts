// Words the desk shows for the domain's values, and the school-time formatting of dates.
export const statusLabels: Record<string, string> = {
  open: "Open",
  in_progress: "In progress",
  waiting_for_parent: "Waiting for parent",
  resolved: "Resolved",
  closed: "Closed",
};

export const categoryLabels: Record<string, string> = {
  academics: "Academics",
  attendance: "Attendance",
  fees: "Fees",
  transport: "Transport",
  other: "Other",
};

export const deliveryLabels: Record<string, string> = {
  pending: "Queued",
  sending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  undelivered: "Not delivered",
  failed: "Failed",
  dead: "Failed",
};

// Staff read where a family is, not which of our WhatsApp connections carries it; the admin's
// undelivered messages page keeps the channel's own name, which is what configuration says.
const channelLabels: Record<string, string> = {
  "whatsapp-cloud": "WhatsApp",
  "twilio-whatsapp": "WhatsApp",
  "whatsapp-web": "WhatsApp",
  sms: "SMS",
  telegram: "Telegram",
  simulator: "the chat simulator",
};

export const channelLabel = (channel: string): string => channelLabels[channel] ?? channel;

/** Families per channel as staff read them, WhatsApp's connections added up. */
export function familiesByChannel(byChannel: Record<string, number>): [string, number][] {
  const byLabel = new Map<string, number>();
  for (const [channel, n] of Object.entries(byChannel)) {
    if (n > 0) byLabel.set(channelLabel(channel), (byLabel.get(channelLabel(channel)) ?? 0) + n);
  }
  return [...byLabel];
}

/** A date as people at the school read it ("Mon 23 Nov, 09:05"). */
export function schoolTime(at: number | string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(at));
}
