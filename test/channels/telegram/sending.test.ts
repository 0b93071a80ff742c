// Sending through Telegram when the Bot API says no: 429 waits out retry_after through the
// dispatcher and the test clock; 403 "blocked" opts the chat out until the person unblocks the bot.
import { eq } from "drizzle-orm";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ACKNOWLEDGE_DATA } from "../../../bots/telegram/render";
import { schema } from "../../../db";
import type { Attachment } from "../../../src/contracts";
import { planOutboxMessage } from "../../../src/outbox";
import { UnitOfWork } from "../../../src/outbox/unit-of-work";
import { createSecrets } from "../../../src/security";
import { CHAT_ID, textUpdate, updateFrom } from "./bot-api";
import { telegramTestbed } from "./support";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const CHAT = String(CHAT_ID);
const { outbox } = schema;

const membershipUpdate = (updateId: number, status: "kicked" | "member") =>
  updateFrom("update-my-chat-member-kicked.json", updateId, (update) => {
    if (!update.my_chat_member) throw new Error("fixture has no my_chat_member");
    update.my_chat_member.old_chat_member.status = status === "kicked" ? "member" : "kicked";
    update.my_chat_member.new_chat_member =
      status === "kicked"
        ? { ...update.my_chat_member.new_chat_member, status: "kicked", until_date: 0 }
        : { user: update.my_chat_member.new_chat_member.user, status: "member" };
  });

describe("sending through Telegram", () => {
  it("waits out a 429's retry_after, then sends the same message again", async () => {
    const bed = await telegramTestbed(server);
    bed.api.failNext("sendMessage", "error-429.json"); // retry_after: 23

    await bed.send(textUpdate(500, "hi"));

    const [row] = await bed.app.db.select().from(outbox);
    const failedAt = bed.app.clock.now();
    expect(row).toMatchObject({
      status: "pending",
      attempts: 0,
      nextAttemptAt: failedAt + 23_000,
    });
    expect(bed.sent()).toHaveLength(1);

    bed.app.clock.set(failedAt + 22_999);
    expect(await bed.app.dispatcher.dispatchDue()).toBe(0);
    expect(bed.sent()).toHaveLength(1);

    bed.app.clock.set(failedAt + 23_000);
    expect(await bed.app.dispatcher.dispatchDue()).toBe(1);

    const [first, retry] = bed.sent();
    expect(retry).toEqual(first);
    const [sent] = await bed.app.db.select().from(outbox);
    expect(sent).toMatchObject({
      status: "sent",
      providerMessageId: expect.stringMatching(/^5123456789:\d+$/),
    });
  });

  it("opts a chat out when the person blocked the bot, and parks later messages unsent", async () => {
    const bed = await telegramTestbed(server);
    bed.api.failNext("sendMessage", "error-403-blocked.json");

    await bed.send(textUpdate(600, "hi"));

    const [blocked] = await bed.app.db.select().from(outbox);
    expect(blocked).toMatchObject({
      status: "dead",
      lastError: expect.stringContaining("bot was blocked by the user"),
    });
    expect(await bed.optedOutAt(CHAT)).toBe(bed.app.clock.now());

    await bed.send(textUpdate(601, "hello again"));

    const later = await bed.app.db.select().from(outbox).where(eq(outbox.id, 2));
    expect(later[0]).toMatchObject({ status: "dead", lastError: "recipient opted out" });
    expect(bed.sent()).toHaveLength(1); // only the attempt that was refused
  });

  it("treats a deactivated account like a block", async () => {
    const bed = await telegramTestbed(server);
    bed.api.failNext("sendMessage", "error-403-deactivated.json");

    await bed.send(textUpdate(610, "hi"));

    expect(await bed.optedOutAt(CHAT)).toEqual(expect.any(Number));
  });

  it("follows the person blocking and unblocking the bot (my_chat_member)", async () => {
    const bed = await telegramTestbed(server);

    await bed.send(membershipUpdate(700, "kicked"));
    expect(await bed.optedOutAt(CHAT)).toBe(bed.app.clock.now());
    await bed.send(textUpdate(701, "hi"));
    expect(bed.sent()).toEqual([]);

    await bed.send(membershipUpdate(702, "member"));
    expect(await bed.optedOutAt(CHAT)).toBeNull();
    await bed.send(textUpdate(703, "hi"));
    expect(bed.sent()).toHaveLength(1);
    expect(bed.sent()[0]).toMatchObject({ chat_id: CHAT });
  });

  it("parks a message Telegram rejects for good (400) without retrying it", async () => {
    const bed = await telegramTestbed(server);
    bed.api.failNext("sendMessage", "error-400-chat-not-found.json");

    await bed.send(textUpdate(800, "hi"));
    bed.app.clock.advance(3_600_000);
    await bed.app.dispatcher.dispatchDue();

    const [row] = await bed.app.db.select().from(outbox);
    expect(row).toMatchObject({
      status: "dead",
      attempts: 1,
      lastError: expect.stringContaining("chat not found"),
    });
    expect(bed.sent()).toHaveLength(1);
    expect(await bed.optedOutAt(CHAT)).toBeUndefined();
  });
});

describe("announcements on Telegram", () => {
  // Announcements carry no sealed values; the outbox only needs a key to plan the row.
  const secrets = createSecrets("x".repeat(32));

  /** Queues an announcement for the chat the way the announcement service does, and sends it. */
  async function sendAnnouncement(
    bed: Awaited<ReturnType<typeof telegramTestbed>>,
    extra: { body?: string; media?: Attachment[] } = {},
  ) {
    const uow = new UnitOfWork();
    planOutboxMessage({ db: bed.app.db, secrets, now: bed.app.clock.now }, uow, {
      schoolId: 1,
      channel: "telegram",
      address: CHAT,
      kind: "announcement",
      body: extra.body ?? "School closes at noon on Friday.",
      ...(extra.media ? { media: extra.media } : {}),
    });
    await uow.commit(bed.app.db);
    await bed.app.dispatcher.dispatchDue();
    const [row] = await bed.app.db.select().from(outbox).where(eq(outbox.kind, "announcement"));
    if (!row?.providerMessageId) throw new Error("the announcement was not sent");
    return row;
  }

  const acknowledge = (updateId: number, messageId: number) =>
    updateFrom("update-callback-query.json", updateId, (update) => {
      const query = update.callback_query;
      if (!query?.message) throw new Error("fixture has no callback_query.message");
      query.data = ACKNOWLEDGE_DATA;
      query.message.message_id = messageId;
      query.message.chat.id = CHAT_ID;
      query.from.id = CHAT_ID;
    });

  it("carries a 'Got it' button, and pressing it marks the announcement read", async () => {
    const bed = await telegramTestbed(server);
    const row = await sendAnnouncement(bed);
    expect(bed.sent().at(-1)).toMatchObject({
      chat_id: CHAT,
      text: "School closes at noon on Friday.",
      reply_markup: { inline_keyboard: [[{ text: "✓ OK", callback_data: ACKNOWLEDGE_DATA }]] },
    });
    const messageId = Number(row.providerMessageId?.split(":")[1]);

    await bed.send(acknowledge(900, messageId));
    const [read] = await bed.app.db.select().from(outbox).where(eq(outbox.id, row.id));
    expect(read?.status).toBe("read");
    await vi.waitFor(() =>
      expect(bed.api.callsOf("answerCallbackQuery").at(-1)).toMatchObject({
        text: "Thank you, noted as read.",
      }),
    );
    // The press is no message to the conversation: nothing else was queued.
    expect((await bed.app.db.select().from(outbox)).length).toBe(1);
  });

  it("ignores a 'Got it' for a message we never sent to that chat", async () => {
    const bed = await telegramTestbed(server);
    const row = await sendAnnouncement(bed);
    const messageId = Number(row.providerMessageId?.split(":")[1]);

    await bed.send(acknowledge(901, messageId + 1));
    const [unchanged] = await bed.app.db.select().from(outbox).where(eq(outbox.id, row.id));
    expect(unchanged?.status).toBe("sent");
  });

  const gotIt = { inline_keyboard: [[{ text: "✓ OK", callback_data: ACKNOWLEDGE_DATA }]] };
  const newsletter = {
    url: "https://school.example/newsletter.pdf",
    contentType: "application/pdf",
  };

  it("sends a document with the text as its caption and the 'Got it' button under it", async () => {
    const bed = await telegramTestbed(server);
    const row = await sendAnnouncement(bed, { media: [newsletter] });
    expect(bed.sent()).toEqual([]);
    expect(bed.api.callsOf("sendDocument")).toEqual([
      {
        chat_id: CHAT,
        document: newsletter.url,
        caption: "School closes at noon on Friday.",
        reply_markup: gotIt,
      },
    ]);
    // The receipt is the document's message: "Got it" under it marks the announcement read.
    await bed.send(acknowledge(902, Number(row.providerMessageId?.split(":")[1])));
    const [read] = await bed.app.db.select().from(outbox).where(eq(outbox.id, row.id));
    expect(read?.status).toBe("read");
  });

  it("sends a picture as a photo", async () => {
    const bed = await telegramTestbed(server);
    const photo = { url: "https://school.example/sports-day.jpg", contentType: "image/jpeg" };
    await sendAnnouncement(bed, { body: "Sports day!", media: [photo] });
    expect(bed.api.callsOf("sendPhoto")).toEqual([
      { chat_id: CHAT, photo: photo.url, caption: "Sports day!", reply_markup: gotIt },
    ]);
    expect(bed.api.callsOf("sendDocument")).toEqual([]);
  });

  it("sends a text too long for a caption first, then the document with the button", async () => {
    const bed = await telegramTestbed(server);
    const body = "The trip leaves at eight and comes back at four. ".repeat(25).trim(); // 1 224
    const row = await sendAnnouncement(bed, { body, media: [newsletter] });
    expect(bed.api.calls.filter((call) => call.method.startsWith("send"))).toEqual([
      {
        method: "sendMessage",
        body: { chat_id: CHAT, text: body, reply_markup: { remove_keyboard: true } },
      },
      {
        method: "sendDocument",
        body: { chat_id: CHAT, document: newsletter.url, reply_markup: gotIt },
      },
    ]);
    // The fake numbers its messages from 2000: the text is 2000, the document (the receipt) 2001.
    expect(row.providerMessageId).toBe(`${CHAT}:2001`);
  });
});
