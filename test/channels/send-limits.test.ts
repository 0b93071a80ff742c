// Each channel's send limits, as its factory builds it from the configuration: the providers'
// published limits by default (Telegram about 30 messages a second and one a second per chat;
// WhatsApp Cloud 80 a second), and the variables that change them.
import { describe, expect, it } from "vitest";
import { telegramFactory } from "../../bots/telegram";
import { whatsAppCloudFactory } from "../../bots/whatsapp-cloud";
import { parseConfig } from "../../src/config";
import type { Channel, ChannelFactory } from "../../src/contracts";
import { createLogger } from "../../src/logger";
import { PUBLIC_BASE_URL, SECRET, TOKEN } from "./telegram/bot-api";
import { WHATSAPP_ENV } from "./whatsapp-cloud/support";

const TELEGRAM_ENV = {
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_WEBHOOK_SECRET: SECRET,
  PUBLIC_BASE_URL,
};

function channelOf(factory: ChannelFactory, env: Record<string, string>): Channel {
  const setup = factory({
    config: parseConfig({ NODE_ENV: "test", ...env }),
    log: createLogger("silent"),
    now: () => 0,
    requireStaff: async (_c, next) => next(),
  });
  if ("off" in setup) throw new Error(`off: ${setup.off}`);
  const [channel] = setup.channels;
  if (!channel) throw new Error("no channel");
  return channel;
}

describe("send limits", () => {
  it("are Telegram's published ones by default, and TELEGRAM_PER_SECOND / _PER_CHAT_PER_SECOND", () => {
    expect(channelOf(telegramFactory, TELEGRAM_ENV).limits).toEqual({
      perSecond: 30,
      perAddressPerSecond: 1,
    });
    const tuned = channelOf(telegramFactory, {
      ...TELEGRAM_ENV,
      TELEGRAM_PER_SECOND: "20",
      TELEGRAM_PER_CHAT_PER_SECOND: "0.5",
    });
    expect(tuned.limits).toEqual({ perSecond: 20, perAddressPerSecond: 0.5 });
  });

  it("are WhatsApp Cloud's 80 a second by default, and WHATSAPP_CLOUD_PER_SECOND", () => {
    expect(channelOf(whatsAppCloudFactory, WHATSAPP_ENV).limits).toEqual({ perSecond: 80 });
    const tuned = channelOf(whatsAppCloudFactory, {
      ...WHATSAPP_ENV,
      WHATSAPP_CLOUD_PER_SECOND: "250",
    });
    expect(tuned.limits).toEqual({ perSecond: 250 });
  });
});
