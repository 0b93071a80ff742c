// POST /webhooks/telegram end to end in-process: authentic updates fed to the real grammY bot, the
// flow's replies sent through the real grammY client to a Bot API that msw plays from recorded
// fixtures (any unexpected call fails the test).
import { eq } from "drizzle-orm";
import type { Update } from "grammy/types";
import { http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { schema } from "../../../db";
import { DEMO } from "../../support/parentline";
import { timed } from "../../support/unreachable-api";
import { CHAT_ID, fixture, SECRET, textUpdate, updateFrom } from "./bot-api";
import { type TelegramTestbed, telegramTestbed } from "./support";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const CHAT = String(CHAT_ID);
const SHARE_PHONE_KEYBOARD = {
  keyboard: [[{ text: "Share my phone number", request_contact: true }]],
  one_time_keyboard: true,
  resize_keyboard: true,
};
const MENU_KEYBOARD = {
  inline_keyboard: [
    [{ text: "New request", callback_data: "new" }],
    [{ text: "My requests", callback_data: "mine" }],
    [{ text: "Announcements", callback_data: "announcements" }],
    [{ text: "Talk to a person", callback_data: "talk" }],
    [{ text: "Language", callback_data: "language" }],
    [{ text: "Settings", callback_data: "settings" }],
    [{ text: "Help", callback_data: "help" }],
  ],
};

/** The recorded contact update, sharing `phoneNumber` as Telegram sends it, from `userId`. */
const contactUpdate = (updateId: number, phoneNumber: string, userId: number | undefined) =>
  updateFrom("update-contact.json", updateId, (update) => {
    if (!update.message?.contact) throw new Error("fixture has no contact");
    update.message.contact.phone_number = phoneNumber;
    if (userId === undefined) delete update.message.contact.user_id;
    else update.message.contact.user_id = userId;
  });

const buttonPress = (updateId: number, data: string) =>
  updateFrom("update-callback-query.json", updateId, (update) => {
    if (!update.callback_query) throw new Error("fixture has no callback_query");
    update.callback_query.data = data;
  });

/** Start, share the demo parent's phone, type the code the simulated phone got: verified. */
async function verifyByContact(bed: TelegramTestbed, phone: string = DEMO.parentWithOneChild) {
  await bed.send(textUpdate(100, "/start"));
  await bed.send(contactUpdate(101, phone.slice(1), CHAT_ID));
  await bed.send(textUpdate(102, await bed.codeSentTo(phone)));
  await bed.flush();
}

describe("Telegram webhook", () => {
  it("takes an authentic text update from a new chat to the flow and sends the reply with sendMessage", async () => {
    const bed = await telegramTestbed(server);
    const update = fixture<Update>("update-text.json");

    const response = await bed.post(update);

    expect(response.status).toBe(200);
    expect(bed.sent()).toEqual([
      {
        chat_id: CHAT,
        text: expect.stringContaining("Please type the phone number the school has on file"),
        reply_markup: SHARE_PHONE_KEYBOARD,
      },
    ]);
    const [row] = await bed.app.db.select().from(schema.outbox);
    expect(row).toMatchObject({
      channel: "telegram",
      address: CHAT,
      status: "sent",
      providerMessageId: expect.stringMatching(/^5123456789:\d+$/),
    });
    const [inbound] = await bed.app.db.select().from(schema.inboundMessages);
    expect(inbound).toMatchObject({
      channel: "telegram",
      address: CHAT,
      providerMessageId: `update:${update.update_id}`,
    });
  });

  it("answers Telegram before its reply is sent: a slow Bot API holds neither the webhook nor a stop", async () => {
    const bed = await telegramTestbed(server);
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Holds sendMessage, then lets the fake Bot API answer it.
    server.use(http.post(/\/sendMessage$/, () => released.then(() => undefined)));

    const response = await bed.app.app.request("/webhooks/telegram", {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
      body: JSON.stringify(textUpdate(1, "hi")),
    });
    expect(response.status).toBe(200);
    expect(bed.sent()).toEqual([]);
    expect(await bed.counts()).toMatchObject({ inbound: 1, outbox: 1 });

    let stopped = false;
    const stopping = bed.app.dispatcher.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(bed.sent()).toEqual([expect.objectContaining({ chat_id: CHAT })]);
  });

  it("answers a button press before its answerCallbackQuery returns: a silent Bot API holds no update", async () => {
    const bed = await telegramTestbed(server);
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    server.use(http.post(/\/answerCallbackQuery$/, () => released.then(() => undefined)));
    const press = buttonPress(150, "new");

    // Answered while the call is held (and well before TELEGRAM_TIMEOUT_MS would end it).
    const { result: response } = await timed(
      () =>
        bed.app.app.request("/webhooks/telegram", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-telegram-bot-api-secret-token": SECRET,
          },
          body: JSON.stringify(press),
        }),
      2_000,
    );

    expect(response?.status).toBe(200);
    expect(bed.api.callsOf("answerCallbackQuery")).toEqual([]);
    release();
    await vi.waitFor(() =>
      expect(bed.api.callsOf("answerCallbackQuery")).toEqual([
        { callback_query_id: press.callback_query?.id },
      ]),
    );
  });

  it("verifies a parent who shares their own contact: the code goes to the phone on file, the chat gets the menu as buttons", async () => {
    const bed = await telegramTestbed(server);

    await bed.send(textUpdate(100, "/start"));
    // Telegram sends the number without "+" here; it is the demo parent's.
    await bed.send(contactUpdate(101, "14155550102", CHAT_ID));

    const codeSent = bed.sent()[1];
    expect(codeSent).toEqual({
      chat_id: CHAT,
      text: expect.stringContaining("We sent a 6-digit code to +1•••••0102"),
      reply_markup: { remove_keyboard: true },
    });
    // With no SMS channel on, the code goes to the phone-addressed channel that is (the simulator
    // here), never to the Telegram chat that asked for it.
    const [code] = await bed.app.db
      .select()
      .from(schema.outbox)
      .where(eq(schema.outbox.kind, "otp"));
    expect(code).toMatchObject({ channel: "simulator", address: DEMO.parentWithOneChild });
    expect(bed.sent().map((body) => body.text)).not.toContainEqual(
      expect.stringMatching(/code is \d{6}/),
    );

    await bed.send(textUpdate(102, await bed.codeSentTo(DEMO.parentWithOneChild)));
    await bed.flush();

    expect(bed.sent().slice(2)).toEqual([
      {
        chat_id: CHAT,
        text: expect.stringMatching(/you're verified/),
        reply_markup: { remove_keyboard: true },
      },
      { chat_id: CHAT, text: "How can I help?", reply_markup: MENU_KEYBOARD },
    ]);
    const [identity] = await bed.app.db
      .select()
      .from(schema.channelIdentities)
      .where(eq(schema.channelIdentities.address, CHAT));
    expect(identity).toMatchObject({ channel: "telegram", guardianId: expect.any(Number) });
  });

  it("with only Telegram on, has no phone to send the code to and says so kindly", async () => {
    const bed = await telegramTestbed(server, { SIMULATOR: "0" });

    await bed.send(textUpdate(100, "/start"));
    await bed.send(contactUpdate(101, "+14155550102", CHAT_ID));

    expect(bed.sent()[1]).toMatchObject({
      chat_id: CHAT,
      text: expect.stringContaining("went wrong"),
    });
    expect((await bed.counts()).codes).toBe(0);
  });

  it("refuses a contact card of someone else kindly, and records nothing", async () => {
    const bed = await telegramTestbed(server);
    await bed.send(textUpdate(100, "/start"));
    const before = await bed.counts();

    await bed.send(contactUpdate(101, "14155550102", 7777777777));
    // A card of someone who is not on Telegram has no user_id at all.
    await bed.send(contactUpdate(102, "14155550102", undefined));

    // The refusal goes out beside the update's handling, not before Telegram gets its 200.
    await vi.waitFor(() =>
      expect(bed.sent().slice(1)).toEqual([
        { chat_id: CHAT, text: expect.stringContaining("we can only accept your own number") },
        { chat_id: CHAT, text: expect.stringContaining("we can only accept your own number") },
      ]),
    );
    expect(await bed.counts()).toEqual(before);
  });

  it("answers a button press and takes its option", async () => {
    const bed = await telegramTestbed(server);
    await verifyByContact(bed);
    const press = buttonPress(200, "new");

    await bed.send(press);

    await vi.waitFor(() =>
      expect(bed.api.callsOf("answerCallbackQuery")).toEqual([
        { callback_query_id: press.callback_query?.id },
      ]),
    );
    expect(bed.sent().at(-1)).toEqual({
      chat_id: CHAT,
      text: "What is it about?",
      reply_markup: {
        inline_keyboard: [
          [{ text: "Academics", callback_data: "academics" }],
          [{ text: "Attendance & leave", callback_data: "attendance" }],
          [{ text: "Fees", callback_data: "fees" }],
          [{ text: "Transport", callback_data: "transport" }],
          [{ text: "Other", callback_data: "other" }],
        ],
      },
    });
  });

  it("refuses a wrong or missing secret with 401 and changes nothing", async () => {
    const bed = await telegramTestbed(server);
    const before = await bed.counts();

    const wrong = await bed.post(fixture("update-text.json"), "not-the-secret");
    const missing = await bed.post(fixture("update-text.json"), null);

    expect(wrong.status).toBe(401);
    expect(missing.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: "unauthorized" } });
    expect(await bed.counts()).toEqual(before);
    expect(bed.sent()).toEqual([]);
  });

  it("checks the secret before the body: a forged malformed request is a 401 too", async () => {
    const bed = await telegramTestbed(server);

    expect((await bed.post("{not json", "forged")).status).toBe(401);
  });

  it("answers 400 to a body that is not JSON or not an update, and changes nothing", async () => {
    const bed = await telegramTestbed(server);
    const before = await bed.counts();

    for (const body of ["{not json", "[]", "{}", '{"update_id":"7"}', "null"]) {
      const response = await bed.post(body);
      expect(response.status, body).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "bad_request" } });
    }
    expect(await bed.counts()).toEqual(before);
  });

  it("acknowledges unusable updates with 200 and a log line, and records nothing", async () => {
    const bed = await telegramTestbed(server);
    const text = fixture<Update & { message: Record<string, unknown> }>("update-text.json");
    const sticker = { ...text, update_id: 301, message: { ...text.message, text: undefined } };
    // https://core.telegram.org/bots/api#sticker
    sticker.message.sticker = {
      file_id: "CAACAgIAAxkBAAEBcdFmbEXAMPLEstickerFileId",
      file_unique_id: "AgADexampleSticker",
      type: "regular",
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
    };
    const edited = { update_id: 302, edited_message: { ...text.message, edit_date: 1718355700 } };
    const group = textUpdate(303, "hello");
    if (group.message) group.message.chat = { id: -100200300, type: "group", title: "Class 5A" };
    const fromBot = textUpdate(304, "hello");
    if (fromBot.message?.from) fromBot.message.from.is_bot = true;

    for (const update of [sticker, edited, group, fromBot]) {
      expect((await bed.post(update)).status).toBe(200);
    }

    expect(await bed.counts()).toEqual({ inbound: 0, conversations: 0, outbox: 0, codes: 0 });
    expect(bed.sent()).toEqual([]);
    const ignored = bed.logs().filter((line) => line.msg === "telegram update ignored");
    expect(ignored.map((line) => [line.updateId, line.reason])).toEqual([
      [301, "message with sticker"],
      [302, "edited_message update"],
      [303, "message in a group chat"],
      [304, "message from a bot"],
    ]);
    expect(JSON.stringify(bed.logs())).not.toContain("hello");
  });

  it("has one effect for the same update delivered twice", async () => {
    const bed = await telegramTestbed(server);
    const update = textUpdate(400, "hi");

    expect((await bed.post(update)).status).toBe(200);
    expect((await bed.post(update)).status).toBe(200);

    expect(bed.sent()).toHaveLength(1);
    expect(await bed.counts()).toMatchObject({ inbound: 1, conversations: 1, outbox: 1 });
  });

  it("has one effect for the same update delivered twice at the same moment", async () => {
    const bed = await telegramTestbed(server);
    const update = textUpdate(401, "hi");

    const responses = await Promise.all([bed.post(update), bed.post(update)]);

    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    expect(bed.sent()).toHaveLength(1);
    expect(await bed.counts()).toMatchObject({ inbound: 1, conversations: 1, outbox: 1 });
  });
});
