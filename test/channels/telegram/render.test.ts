// Rendering for Telegram (pure): inline keyboards, the share-my-phone keyboard, 64-byte
// callback_data, and long texts split at 4096 characters.
import { describe, expect, it } from "vitest";
import { callbackDataFor, renderTelegramMessage } from "../../../bots/telegram/render";

describe("renderTelegramMessage", () => {
  it.each([
    {
      case: "plain text takes down any contact keyboard still showing",
      message: { text: "We sent a code." },
      expected: [{ text: "We sent a code.", reply_markup: { remove_keyboard: true } }],
    },
    {
      case: "options become an inline keyboard, one long label a row",
      message: {
        text: "Pick one",
        options: [
          { id: "new", label: "New request" },
          { id: "mine", label: "My requests" },
        ],
      },
      expected: [
        {
          text: "Pick one",
          reply_markup: {
            inline_keyboard: [
              [{ text: "New request", callback_data: "new" }],
              [{ text: "My requests", callback_data: "mine" }],
            ],
          },
        },
      ],
    },
    {
      case: "short labels share a row (five at most)",
      message: {
        text: "Rate us",
        options: [
          ...[1, 2, 3, 4, 5, 6].map((n) => ({ id: `rate:${n}`, label: String(n) })),
          { id: "reopen", label: "Reopen" },
        ],
      },
      expected: [
        {
          text: "Rate us",
          reply_markup: {
            inline_keyboard: [
              [1, 2, 3, 4, 5].map((n) => ({ text: String(n), callback_data: `rate:${n}` })),
              [{ text: "6", callback_data: "rate:6" }],
              [{ text: "Reopen", callback_data: "reopen" }],
            ],
          },
        },
      ],
    },
    {
      case: "a phone request becomes a one-time contact keyboard, other options on it as text",
      message: {
        text: "Your phone?",
        options: [
          { id: "share_phone", label: "Share my phone number", request: "phone" as const },
          { id: "cancel", label: "Cancel" },
        ],
      },
      expected: [
        {
          text: "Your phone?",
          reply_markup: {
            keyboard: [
              [{ text: "Share my phone number", request_contact: true }],
              [{ text: "Cancel" }],
            ],
            one_time_keyboard: true,
            resize_keyboard: true,
          },
        },
      ],
    },
  ])("$case", ({ message, expected }) => {
    expect(renderTelegramMessage(message)).toEqual(expected);
  });

  it("splits a long text at 4096 characters on sentence ends, the buttons under the last part", () => {
    const sentence = "This sentence is part of a very long announcement. ";
    const text = sentence.repeat(200).trim();
    const parts = renderTelegramMessage({ text, options: [{ id: "ok", label: "OK" }] });

    expect(parts.length).toBe(Math.ceil(text.length / 4096));
    for (const part of parts) {
      expect(part.text.length).toBeLessThanOrEqual(4096);
      expect(part.text.endsWith(".")).toBe(true);
    }
    expect(parts.map((part) => part.text).join(" ")).toBe(text);
    expect(parts.slice(0, -1).map((part) => part.reply_markup)).toEqual(
      parts.slice(0, -1).map(() => ({ remove_keyboard: true })),
    );
    expect(parts.at(-1)?.reply_markup).toEqual({
      inline_keyboard: [[{ text: "OK", callback_data: "ok" }]],
    });
  });
});

describe("callbackDataFor", () => {
  it.each([
    { id: "new", index: 0, expected: "new" },
    { id: "x".repeat(64), index: 2, expected: "x".repeat(64) },
    // Past 64 bytes the option's number goes instead, which the flows match as well.
    { id: "x".repeat(65), index: 2, expected: "3" },
    // Bytes, not characters: 22 three-byte characters are 66 bytes.
    { id: "é".repeat(32), index: 0, expected: "é".repeat(32) },
    { id: "€".repeat(22), index: 4, expected: "5" },
  ])("$id at $index → $expected", ({ id, index, expected }) => {
    expect(callbackDataFor({ id, label: "label" }, index)).toBe(expected);
  });
});
