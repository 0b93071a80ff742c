// Parsing Telegram updates (pure), from the recorded fixtures.
import type { Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import {
  commandWord,
  contactPhone,
  isTelegramUpdate,
  parseTelegramUpdate,
} from "../../../bots/telegram/parse";
import { fixture, updateFrom } from "./bot-api";

const options = { defaultCountry: "US", now: 1_700_000_000_000 };

describe("parseTelegramUpdate", () => {
  it("makes a text message an inbound message addressed by chat id, keyed by update_id", () => {
    expect(parseTelegramUpdate(fixture<Update>("update-text.json"), options)).toEqual({
      kind: "message",
      message: {
        channel: "telegram",
        address: "5123456789",
        providerMessageId: "update:804512367",
        text: "Hi, is my appointment still on for Friday at 10?",
        receivedAt: options.now,
      },
    });
  });

  it("names the message a text replies to as send() recorded it: <chat>:<message_id>", () => {
    const update = fixture<Update>("update-text.json");
    if (!update.message) throw new Error("fixture has no message");
    update.message.reply_to_message = {
      message_id: 2001,
      date: update.message.date,
      chat: update.message.chat,
      text: "New request T-1001 …",
    } as typeof update.message.reply_to_message;
    const parsed = parseTelegramUpdate(update, options);
    expect(parsed.kind === "message" && parsed.message.replyTo).toBe("5123456789:2001");
  });

  it("makes the sender's own contact a shared phone in E.164, the phone also as text", () => {
    expect(parseTelegramUpdate(fixture<Update>("update-contact.json"), options)).toEqual({
      kind: "message",
      message: {
        channel: "telegram",
        address: "5123456789",
        providerMessageId: "update:804512368",
        text: "+15555550142",
        contact: { phone: "+15555550142" },
        receivedAt: options.now,
      },
    });
  });

  it("refuses a contact card that is not the sender's own", () => {
    const forwarded = updateFrom("update-contact.json", 1, (update) => {
      if (update.message?.contact) update.message.contact.user_id = 42;
    });
    expect(parseTelegramUpdate(forwarded, options)).toEqual({
      kind: "foreign_contact",
      chatId: "5123456789",
      languageCode: "en",
    });
  });

  it("makes a button press its callback data as text, from the chat the button was in", () => {
    expect(parseTelegramUpdate(fixture<Update>("update-callback-query.json"), options)).toEqual({
      kind: "message",
      message: {
        channel: "telegram",
        address: "5123456789",
        providerMessageId: "update:804512369",
        text: "appt:confirm:7781",
        receivedAt: options.now,
      },
    });
  });

  it("turns blocking and unblocking into opt-out changes", () => {
    const kicked = fixture<Update>("update-my-chat-member-kicked.json");
    expect(parseTelegramUpdate(kicked, options)).toEqual({
      kind: "opt_out",
      chatId: "5123456789",
      optedOut: true,
    });
  });

  it("ignores button presses outside private chats and updates it does not handle", () => {
    const inGroup = updateFrom("update-callback-query.json", 1, (update) => {
      const message = update.callback_query?.message;
      if (message) message.chat = { id: -42, type: "supergroup", title: "Parents 5A" };
    });
    expect(parseTelegramUpdate(inGroup, options)).toEqual({
      kind: "ignored",
      reason: "button press in a supergroup chat",
    });
    expect(parseTelegramUpdate({ update_id: 2 } as Update, options)).toEqual({
      kind: "ignored",
      reason: "empty update",
    });
  });
});

describe("contactPhone", () => {
  it.each([
    ["15555550142", "+15555550142"],
    ["+15555550142", "+15555550142"],
    // Always international, whatever DEFAULT_COUNTRY says.
    ["447911123456", "+447911123456"],
    ["+44 7911 123456", "+447911123456"],
    ["12", null],
  ])("%s → %s", (raw, expected) => {
    expect(contactPhone(raw, "US")).toBe(expected);
  });
});

describe("commandWord", () => {
  it.each([
    ["/start", "start"],
    ["/start@acme_clinic_example_bot", "start"],
    ["/start deep-link-payload", "start"],
    ["/Help", "/help"],
    ["/note@acme_clinic_example_bot T-1001 Called the parent", "/note T-1001 Called the parent"],
    ["/announce 5A: Picnic on Friday", "/announce 5A: Picnic on Friday"],
    ["hello /start", "hello /start"],
    ["1/2", "1/2"],
  ])("%s → %s", (text, expected) => {
    expect(commandWord(text)).toBe(expected);
  });
});

describe("isTelegramUpdate", () => {
  it.each([
    [{ update_id: 1 }, true],
    [{ update_id: "1" }, false],
    [{ update_id: 1.5 }, false],
    [{}, false],
    [[], false],
    [null, false],
    ["update", false],
  ])("%j → %s", (body, expected) => {
    expect(isTelegramUpdate(body)).toBe(expected);
  });
});
