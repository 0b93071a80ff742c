// How staff read a channel, in the staff chat and on the desk alike: where a family is, not which
// of our WhatsApp connections carries it.
const channelNames: Record<string, string> = {
  "whatsapp-cloud": "WhatsApp",
  "twilio-whatsapp": "WhatsApp",
  "whatsapp-web": "WhatsApp",
  sms: "SMS",
  telegram: "Telegram",
  simulator: "the simulator",
};

export const channelName = (channel: string): string => channelNames[channel] ?? channel;

/** Families per channel as staff read them ([["WhatsApp", 3], ["SMS", 1]]), none left at 0. */
export function familiesByChannel(byChannel: Record<string, number>): [string, number][] {
  const byName = new Map<string, number>();
  for (const [channel, n] of Object.entries(byChannel)) {
    const name = channelName(channel);
    if (n > 0) byName.set(name, (byName.get(name) ?? 0) + n);
  }
  return [...byName];
}
