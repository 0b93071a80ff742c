// The pure parts of WhatsApp Web: the library's Message → InboundMessage or a reason to ignore it,
// MessageAck → receipt, and an outbound message → chat id and text parts; plus the channel's limits.
import { describe, expect, it } from "vitest";
import {
  chatIdFor,
  MessageAck,
  parseWhatsAppWebMessage,
  receiptFromAck,
  renderWhatsAppWebMessage,
  type WhatsAppWebMessage,
  whatsappWebCapabilities,
  whatsappWebLimits,
} from "../../../bots/whatsapp-web";
import { parseConfig } from "../../../src/config";
import groupFixture from "../../fixtures/whatsapp-web/message-group.json";
import privateFixture from "../../fixtures/whatsapp-web/message-private.json";

const options = { defaultCountry: "US", receivedAt: 1_718_355_601_000 };
const message = (change: Partial<WhatsAppWebMessage> = {}): WhatsAppWebMessage => ({
  ...structuredClone(privateFixture),
  ...change,
});

describe("parseWhatsAppWebMessage", () => {
  it("turns a private text message into an InboundMessage keyed on the WhatsApp id", () => {
    expect(parseWhatsAppWebMessage(message(), options)).toEqual({
      kind: "message",
      message: {
        channel: "whatsapp-web",
        address: "+15555550142",
        providerMessageId: "false_15555550142@c.us_8F391AC86303305E118A2A07FE2683B2",
        text: "Hi, is my appointment still on for Friday at 10?",
        receivedAt: options.receivedAt,
      },
    });
  });

  it.each([
    ["a group chat", structuredClone(groupFixture), "group chat"],
    ["a group member's message", message({ author: "15555550142@c.us" }), "group chat"],
    ["a status update", message({ from: "status@broadcast", isStatus: true }), "status broadcast"],
    ["a status flagged only by isStatus", message({ isStatus: true }), "status broadcast"],
    ["our own message", message({ fromMe: true }), "our own message"],
    ["a broadcast list", message({ broadcast: true }), "broadcast list"],
    [
      "a sticker",
      message({ type: "sticker", body: "", hasMedia: true }),
      "unsupported type sticker",
    ],
    ["a voice note", message({ type: "ptt", body: "", hasMedia: true }), "unsupported type ptt"],
    ["an empty text", message({ body: "  " }), "empty text"],
    ["a chat that is no phone", message({ from: "12@c.us" }), "not a person's chat"],
  ])("ignores %s", (_name, raw, reason) => {
    expect(parseWhatsAppWebMessage(raw, options)).toEqual({ kind: "ignored", reason });
  });

  it("names a quoted message of ours as send() recorded it (true_<chat>_<key>)", () => {
    const quoting = message({ hasQuotedMsg: true, _data: { quotedStanzaID: "3EB0ALERT" } });
    const parsed = parseWhatsAppWebMessage(quoting, options);
    expect(parsed.kind === "message" && parsed.message.replyTo).toBe(
      "true_15555550142@c.us_3EB0ALERT",
    );
    const plain = parseWhatsAppWebMessage(message(), options);
    expect(plain.kind === "message" && plain.message.replyTo).toBeUndefined();
  });

  it("asks for the phone behind a hidden @lid sender, then uses it", () => {
    const hidden = message({ from: "179950657237125@lid" });
    expect(parseWhatsAppWebMessage(hidden, options)).toEqual({
      kind: "hidden number",
      lid: "179950657237125@lid",
    });
    const resolved = parseWhatsAppWebMessage(hidden, {
      ...options,
      phoneChatId: "15555550142@c.us",
    });
    expect(resolved).toMatchObject({ kind: "message", message: { address: "+15555550142" } });
  });
});

describe("receiptFromAck", () => {
  const ours = message({ fromMe: true });
  ours.id = { ...ours.id, fromMe: true, _serialized: "true_15555550142@c.us_3EB0A1" };

  it.each([
    [MessageAck.SERVER, "sent"],
    [MessageAck.DEVICE, "delivered"],
    [MessageAck.READ, "read"],
    [MessageAck.PLAYED, "read"],
    [MessageAck.ERROR, "failed"],
  ] as const)("maps ack %i to %s", (ack, status) => {
    expect(receiptFromAck(ours, ack)).toEqual({
      channel: "whatsapp-web",
      providerMessageId: "true_15555550142@c.us_3EB0A1",
      status,
    });
  });

  it("says nothing for a pending ack or an ack on someone else's message", () => {
    expect(receiptFromAck(ours, MessageAck.PENDING)).toBeNull();
    expect(receiptFromAck(message(), MessageAck.READ)).toBeNull();
  });
});

describe("renderWhatsAppWebMessage", () => {
  it("addresses the person's chat by number and numbers the options", () => {
    const rendered = renderWhatsAppWebMessage(
      {
        address: "+14155550101",
        text: "Which child?",
        options: [
          { id: "c1", label: "Mia" },
          { id: "c2", label: "Noah" },
        ],
      },
      whatsappWebCapabilities,
    );
    expect(rendered).toEqual({
      chatId: "14155550101@c.us",
      parts: ["Which child?\n\n1. Mia\n2. Noah"],
    });
  });

  it("splits texts over 4096 characters on sentence boundaries", () => {
    const sentence = `${"word ".repeat(19)}end. `; // 100 characters
    const { parts } = renderWhatsAppWebMessage(
      { address: "+14155550101", text: sentence.repeat(50) },
      whatsappWebCapabilities,
    );
    // 40 sentences fit (4000 characters with the space the cut drops), the other 10 follow.
    expect(parts.map((part) => part.length)).toEqual([3999, 999]);
    expect(parts.every((part) => part.endsWith("end."))).toBe(true);
  });

  it("puts an attachment's link on its own line at the end of the text", () => {
    const { parts } = renderWhatsAppWebMessage(
      {
        address: "+14155550101",
        text: "November newsletter",
        media: [{ url: "https://school.example/news.pdf", contentType: "application/pdf" }],
      },
      whatsappWebCapabilities,
    );
    expect(parts).toEqual(["November newsletter\nhttps://school.example/news.pdf"]);
  });

  it("makes chat ids from E.164 numbers", () => {
    expect(chatIdFor("+447700900123")).toBe("447700900123@c.us");
  });
});

describe("WhatsApp Web limits", () => {
  it("defaults to one message every 2 s with up to 1.5 s of jitter", () => {
    const { whatsappWeb } = parseConfig({ NODE_ENV: "test" }).channels;
    expect(whatsappWebLimits(whatsappWeb)).toEqual({ perSecond: 0.5, jitterMs: 1500 });
  });

  it("follows WHATSAPP_WEB_SEND_INTERVAL_MS and WHATSAPP_WEB_SEND_JITTER_MS", () => {
    const { whatsappWeb } = parseConfig({
      NODE_ENV: "test",
      WHATSAPP_WEB_SEND_INTERVAL_MS: "5000",
      WHATSAPP_WEB_SEND_JITTER_MS: "0",
    }).channels;
    expect(whatsappWebLimits(whatsappWeb)).toEqual({ perSecond: 0.2 });
  });

  it("declares what the channel can do", () => {
    expect(whatsappWebCapabilities).toEqual({
      buttons: false,
      readReceipts: true,
      inlineReply: false,
      phoneAddressed: true,
      carrierKeywords: false,
      maxTextLength: 4096,
    });
  });
});
