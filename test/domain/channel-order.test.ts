// The guardian's channel order as the settings menu shows and changes it: the same ranking the
// announcement's channel choice (chooseAddress) uses, and "this one first, the others keep order".
import { describe, expect, it } from "vitest";
import { channelOrderWithFirst, chooseAddress, orderChannels } from "../../src/domain";

const on = (channel: string, verifiedAt: number) => ({ channel, verifiedAt });

describe("orderChannels", () => {
  it("puts unlisted channels after the listed ones, most recently verified first", () => {
    const channels = [on("sms", 1), on("telegram", 3), on("whatsapp-cloud", 2)];
    expect(orderChannels(channels, [])).toEqual(["telegram", "whatsapp-cloud", "sms"]);
    expect(orderChannels(channels, ["sms"])).toEqual(["sms", "telegram", "whatsapp-cloud"]);
    expect(orderChannels(channels, ["whatsapp-cloud", "sms", "telegram"])).toEqual([
      "whatsapp-cloud",
      "sms",
      "telegram",
    ]);
  });

  it("names a channel verified at two addresses once", () => {
    expect(orderChannels([on("sms", 1), on("sms", 5), on("telegram", 3)], [])).toEqual([
      "sms",
      "telegram",
    ]);
  });

  it("leads with the channel chooseAddress picks", () => {
    const addresses = [
      { ...on("sms", 1), address: "+1", optedOut: false },
      { ...on("telegram", 3), address: "7", optedOut: false },
      { ...on("whatsapp-cloud", 2), address: "+1", optedOut: false },
    ];
    for (const order of [[], ["sms"], ["whatsapp-cloud", "telegram"]])
      expect(chooseAddress(addresses, order)).toMatchObject({
        channel: orderChannels(addresses, order)[0],
      });
  });
});

describe("channelOrderWithFirst", () => {
  it("moves the chosen channel first and keeps the others in their order", () => {
    expect(channelOrderWithFirst("sms", ["telegram", "simulator", "sms"], [])).toEqual([
      "sms",
      "telegram",
      "simulator",
    ]);
  });

  it("keeps listed channels the guardian is not on now, last and in order", () => {
    expect(
      channelOrderWithFirst("sms", ["telegram", "sms"], ["whatsapp-web", "telegram", "sms"]),
    ).toEqual(["sms", "telegram", "whatsapp-web"]);
  });
});
