// On SMS, STOP, STOPALL, UNSUBSCRIBE, CANCEL, END and QUIT opt a number out (Twilio enforces it):
// the bot never asks an SMS parent to type one of them for anything else; "0" and "menu" go back.
import { describe, expect, it } from "vitest";
import { codeIn, DEMO, type TestParentline } from "../../support/parentline";
import { inboundSms, isOptedOut, sendInbound, useTwilioTestbed } from "./support";

const PARENT = DEMO.parentWithOneChild;
let app: TestParentline;
useTwilioTestbed((created) => {
  app = created;
});

const CARRIER_WORD = /\b(stop|stopall|unsubscribe|cancel|end|quit)\b/i;
const sms = async (text: string) => (await sendInbound(app, inboundSms(PARENT, text))).replies;

describe("an SMS parent following the bot's prompts", () => {
  it("is never invited to type a carrier opt-out word, and 0 goes back to the menu", async () => {
    const said: string[] = [];
    const say = async (text: string) => {
      const replies = await sms(text);
      said.push(...replies);
      return replies;
    };
    await say(codeIn(await say("hi")));
    await say("help");
    await say("1");
    await say("1");
    const confirm = await say("Chloe needs her reading book");
    expect(confirm.join("\n")).toMatch(/1\. Send\n2\. Don't send/);
    const back = await say("0");
    expect(back.join("\n")).toMatch(/nothing was sent[\s\S]*How can I help\?/);

    expect(said.filter((text) => CARRIER_WORD.test(text))).toEqual([]);
    expect(await isOptedOut(app.db, "sms", PARENT)).toBe(false);
  });

  it("hears how to undo an opt-out (START)", async () => {
    const [answer] = await sms("CANCEL");
    expect(answer).toMatch(/Reply START/);
    expect(await isOptedOut(app.db, "sms", PARENT)).toBe(true);
  });
});
