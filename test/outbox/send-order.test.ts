// One chat's messages arrive in the order they were queued and each once, when the per-chat pace
// is fast enough that a webhook's own send (deliverSoon) meets rows the pace put back for later.
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CHAT_ID, textUpdate, updateFrom } from "../channels/telegram/bot-api";
import { telegramTestbed } from "../channels/telegram/support";
import { DEMO } from "../support/parentline";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const contactUpdate = (updateId: number, phone: string) =>
  updateFrom("update-contact.json", updateId, (update) => {
    if (!update.message?.contact) throw new Error("fixture has no contact");
    update.message.contact.phone_number = phone.slice(1);
    update.message.contact.user_id = CHAT_ID;
  });

describe("the order of one chat's messages", () => {
  it("sends a step's second reply, put back by the per-chat pace, before the next step's reply", async () => {
    const bed = await telegramTestbed(server, { TELEGRAM_PER_CHAT_PER_SECOND: "30" });
    await bed.send(textUpdate(100, "/start"));
    await bed.send(contactUpdate(101, DEMO.parentWithOneChild));
    // "Thanks, Michael, you're verified." and "How can I help?": the pace puts the second back.
    await bed.send(textUpdate(102, await bed.codeSentTo(DEMO.parentWithOneChild)));
    await bed.send(textUpdate(103, "New request"));
    await bed.flush();

    const texts = bed.sent().map((body) => String(body.text));
    const verified = texts.findIndex((text) => text.includes("you're verified"));
    expect(texts.slice(verified, verified + 3)).toEqual([
      expect.stringContaining("you're verified"),
      expect.stringContaining("How can I help?"),
      expect.stringContaining("What is it about?"),
    ]);
    expect(new Set(texts).size).toBe(texts.length);
  });
});
